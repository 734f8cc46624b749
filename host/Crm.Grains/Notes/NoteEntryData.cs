using System.Globalization;
using System.Text.Json;
using Crm.Client;
using Crm.Grains.Customers;

namespace Crm.Grains.Notes;

/// <summary>
/// How a note sits in a timeline entry's data (kind "note"): its id, template and version, the answers as JSON,
/// the countable choices as JSON pairs and the next follow-up date it set. Reading it back is what lets the
/// customer grain re-project its notes after a crash.
/// </summary>
public static class NoteEntryData
{
    public const string NoteId = "noteId";
    public const string TemplateId = "templateId";
    public const string TemplateVersion = "templateVersion";
    public const string Answers = "answers";
    public const string Choices = "choices";
    public const string NextFollowUpAt = "nextFollowUpAt";

    public static Dictionary<string, string?> From(NoteRecord note) => new()
    {
        [NoteId] = note.NoteId,
        [TemplateId] = note.TemplateId,
        [TemplateVersion] = note.TemplateVersion.ToString(CultureInfo.InvariantCulture),
        [Answers] = note.AnswersJson,
        [Choices] = JsonSerializer.Serialize(note.Choices.Select(c => new[] { c.FieldKey, c.Value })),
        [NextFollowUpAt] = note.NextFollowUpAt?.ToString("O", CultureInfo.InvariantCulture),
    };

    public static IReadOnlyList<NoteChoice> ChoicesOf(IReadOnlyDictionary<string, string?> data) =>
        data.GetValueOrDefault(Choices) is { } json
            ? JsonSerializer.Deserialize<string[][]>(json)!.Select(p => new NoteChoice(p[0], p[1])).ToList()
            : [];

    public static DateTimeOffset? NextFollowUpOf(IReadOnlyDictionary<string, string?> data) =>
        data.GetValueOrDefault(NextFollowUpAt) is { } at ? DateTimeOffset.Parse(at, CultureInfo.InvariantCulture) : null;

    /// <summary>The note of a timeline entry as the API shows it.</summary>
    public static NoteDto ToNote(Guid customerId, HistoryEntry entry) => new(
        entry.Data[NoteId]!,
        customerId,
        entry.Seq,
        entry.Data[TemplateId]!,
        int.Parse(entry.Data[TemplateVersion]!, CultureInfo.InvariantCulture),
        entry.At,
        entry.ActorId,
        entry.Text ?? "",
        JsonSerializer.Deserialize<JsonElement>(entry.Data[Answers] ?? "{}"),
        NextFollowUpOf(entry.Data));
}
