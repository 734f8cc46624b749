using System.Data.Common;
using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Storage;
using Dapper;

namespace Crm.Grains.Notes;

/// <summary>
/// Keeps the notes read model: <c>note_templates</c> (latest version of each template, for lists),
/// <c>notes</c> and <c>note_choices</c> (answers made countable) and <c>customer_reminders</c> (next follow-up dates
/// set by notes). Notes are written in the customer's own commit; every write is idempotent.
/// </summary>
public sealed class NoteProjection(SqlBatchWriter writer)
{
    private const string UpsertTemplateSql = """
        INSERT INTO note_templates (id, org_unit_id, name, language, latest_version, json, updated_ms)
        VALUES (@Id, @OrgUnitId, @Name, @Language, @Version, @Json, @UpdatedMs)
        ON CONFLICT (id) DO UPDATE SET
            org_unit_id = excluded.org_unit_id, name = excluded.name, language = excluded.language,
            latest_version = excluded.latest_version, json = excluded.json, updated_ms = excluded.updated_ms
        WHERE excluded.latest_version > note_templates.latest_version
        """;

    private const string InsertNoteSql = """
        INSERT INTO notes (id, customer_id, template_id, template_version, org_unit_id, author_id, at_ms)
        VALUES (@Id, @CustomerId, @TemplateId, @TemplateVersion, @OrgUnitId, @AuthorId, @AtMs)
        ON CONFLICT (id) DO NOTHING
        """;

    private const string InsertChoiceSql = """
        INSERT INTO note_choices (note_id, field_key, value, template_id, org_unit_id, at_ms)
        VALUES (@NoteId, @FieldKey, @Value, @TemplateId, @OrgUnitId, @AtMs)
        ON CONFLICT (note_id, field_key, value) DO NOTHING
        """;

    private const string UpsertReminderSql = """
        INSERT INTO customer_reminders (customer_id, due_ms, set_ms, note_id, template_id)
        VALUES (@CustomerId, @DueMs, @SetMs, @NoteId, @TemplateId)
        ON CONFLICT (customer_id) DO UPDATE SET
            due_ms = excluded.due_ms, set_ms = excluded.set_ms, note_id = excluded.note_id, template_id = excluded.template_id
        WHERE excluded.set_ms >= customer_reminders.set_ms
        """;

    public Task UpsertTemplateAsync(NoteTemplateDto latest) =>
        writer.WriteAsync((connection, transaction) => connection.Execute(UpsertTemplateSql, new
        {
            latest.Id,
            latest.OrgUnitId,
            latest.Name,
            latest.Language,
            latest.Version,
            Json = System.Text.Json.JsonSerializer.Serialize(latest, NoteJson.Options),
            UpdatedMs = UnixTime.ToMs(latest.CreatedAt),
        }, transaction));

    /// <summary>
    /// Projects one note inside the customer's own commit (<c>CustomerCommitWrites</c>): the note, its countable
    /// choices and the next follow-up it set. Idempotent, so a re-projection may write it again.
    /// </summary>
    public static void WriteNote(DbConnection connection, DbTransaction transaction, string customerId, string? orgUnitId,
        string? authorId, DateTimeOffset at, IReadOnlyDictionary<string, string?> data)
    {
        var noteId = data[NoteEntryData.NoteId]!;
        var templateId = data[NoteEntryData.TemplateId]!;
        var atMs = UnixTime.ToMs(at);
        connection.Execute(InsertNoteSql, new
        {
            Id = noteId,
            CustomerId = customerId,
            TemplateId = templateId,
            TemplateVersion = int.Parse(data[NoteEntryData.TemplateVersion]!, System.Globalization.CultureInfo.InvariantCulture),
            OrgUnitId = orgUnitId,
            AuthorId = authorId,
            AtMs = atMs,
        }, transaction);
        connection.Execute(InsertChoiceSql, NoteEntryData.ChoicesOf(data).Select(c => new
        {
            NoteId = noteId,
            c.FieldKey,
            c.Value,
            TemplateId = templateId,
            OrgUnitId = orgUnitId,
            AtMs = atMs,
        }), transaction);
        if (NoteEntryData.NextFollowUpOf(data) is { } due)
        {
            connection.Execute(UpsertReminderSql, new
            {
                CustomerId = customerId,
                DueMs = UnixTime.ToMs(due),
                SetMs = atMs,
                NoteId = noteId,
                TemplateId = templateId,
            }, transaction);
        }
    }
}
