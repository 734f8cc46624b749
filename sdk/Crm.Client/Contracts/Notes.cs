using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Crm.Client;

/// <summary>
/// The kind of answer a quick-note question takes. Plugins have the same list as <c>Crm.Sdk.NoteFieldType</c> (this
/// package does not depend on the plugin SDK, nor the SDK on it); the server maps one to the other by name.
/// </summary>
public enum NoteFieldType { Text, SingleChoice, MultiChoice, Number, Date, YesNo }

/// <summary>
/// One question of a note template. <c>NextFollowUp</c> (date fields only, at most one per template) turns the
/// answer into the customer's next follow-up date: a reminder on the timeline and in <c>GET /api/reps/{id}/reminders</c>.
/// </summary>
public sealed record NoteFieldDto(
    [property: MaxLength(64)] string? Key,
    [property: MaxLength(200)] string? Label,
    NoteFieldType? Type,
    [property: MaxLength(50)] IReadOnlyList<string>? Options = null,
    bool Required = false,
    [property: Range(-1e15, 1e15)] double? Min = null,
    [property: Range(-1e15, 1e15)] double? Max = null,
    [property: MaxLength(500)] string? Help = null,
    bool NextFollowUp = false);

/// <summary>A template as a manager writes it: <c>POST /api/note-templates</c> (new) or <c>PUT /api/note-templates/{id}</c> (new version).</summary>
public sealed record NoteTemplateRequest(
    [property: MaxLength(200)] string? Name,
    [property: MaxLength(50)] IReadOnlyList<NoteFieldDto>? Fields,
    [property: MaxLength(20_000)] string? Body,
    [property: MaxLength(64)] string? Id = null,
    [property: MaxLength(16)] string? Language = null,
    [property: MaxLength(2000)] string? Description = null,
    [property: MaxLength(64)] string? OrgUnitId = null);

/// <summary>One version of a template. <c>OrgUnitId</c> null means company-wide.</summary>
public sealed record NoteTemplateDto(
    string Id,
    int Version,
    string Name,
    string Language,
    string? Description,
    string? OrgUnitId,
    IReadOnlyList<NoteFieldDto> Fields,
    string Body,
    string? Source,
    DateTimeOffset CreatedAt,
    string? CreatedBy);

/// <summary>Preview of a draft template (nothing saved). Missing answers are filled with sample answers.</summary>
public sealed record NotePreviewRequest(NoteTemplateRequest? Template, [property: MaxLength(50)] Dictionary<string, JsonElement>? Answers = null);

/// <summary>Preview of a saved template version (latest when <c>Version</c> is null).</summary>
public sealed record TemplatePreviewRequest([property: Range(1, int.MaxValue)] int? Version = null, [property: MaxLength(50)] Dictionary<string, JsonElement>? Answers = null);

public sealed record NotePreviewDto(string Text, JsonElement Answers);

/// <summary><c>POST /api/customers/{id}/notes</c>: the answers to a template (latest version when <c>Version</c> is null).</summary>
public sealed record AddNoteRequest([property: MaxLength(64)] string? TemplateId, [property: MaxLength(50)] Dictionary<string, JsonElement>? Answers, [property: Range(1, int.MaxValue)] int? Version = null);

public sealed record NoteDto(
    string NoteId,
    Guid CustomerId,
    int Seq,
    string TemplateId,
    int TemplateVersion,
    DateTimeOffset At,
    string? AuthorId,
    string Text,
    JsonElement Answers,
    DateTimeOffset? NextFollowUpAt);

/// <summary>A page of a customer's notes, newest first; <see cref="NextBefore"/> is the cursor of the next (older) page, or null.</summary>
public sealed record NotePage(IReadOnlyList<NoteDto> Items, string? NextBefore);

/// <summary>How often each option of each choice (and yes/no) field was answered.</summary>
public sealed record NoteTemplateStatsDto(
    string TemplateId,
    DateTimeOffset? From,
    DateTimeOffset? To,
    string? OrgUnitId,
    long Notes,
    IReadOnlyList<NoteFieldStatsDto> Fields);

public sealed record NoteFieldStatsDto(string Key, string Label, NoteFieldType Type, IReadOnlyDictionary<string, long> Counts);

/// <summary>
/// <c>POST /api/note-templates/import</c>: copies templates a plugin offers into the business's own templates.
/// <c>Plugin</c> names the plugin; <c>TemplateIds</c> (all of the plugin's when empty) pick templates. Template ids are
/// company-wide: <c>IdPrefix</c> (e.g. <c>west-</c>) saves each under <c>{IdPrefix}{plugin's id}</c>, for a unit whose
/// plugin ids another unit already holds.
/// </summary>
public sealed record ImportNoteTemplatesRequest(
    [property: MaxLength(200)] string? Plugin,
    [property: MaxLength(100)] IReadOnlyList<string>? TemplateIds = null,
    [property: MaxLength(64)] string? OrgUnitId = null,
    [property: MaxLength(32)] string? IdPrefix = null);

/// <summary>
/// Per template, under the id it is saved with: <c>created</c>, <c>updated</c> (a new version), <c>unchanged</c> or
/// <c>rejected</c> (with the error).
/// </summary>
public sealed record ImportNoteTemplateResult(string TemplateId, string Outcome, int? Version, string? Error);

/// <summary>A template a loaded plugin offers for import.</summary>
public sealed record NoteTemplatePackDto(string Plugin, string TemplateId, string Name, string Language, string? Description);

/// <summary>A customer whose next follow-up date (set by a note) has come.</summary>
public sealed record DueReminderDto(Guid CustomerId, string CustomerName, DateTimeOffset DueAt, DateTimeOffset SetAt, string? NoteId, string? TemplateId);
