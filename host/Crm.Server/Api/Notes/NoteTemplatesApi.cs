using System.Globalization;
using System.Text.Json;
using Crm.Client;
using Crm.Grains.Calendars;
using Crm.Grains.Common;
using Crm.Grains.Notes;
using Crm.Server.Api.Common;
using Crm.Server.Auth;
using Crm.Server.Permissions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Notes;

/// <summary>Quick-note templates: versioned Scriban bodies over a question schema, previews, plugin imports and answer stats.</summary>
public static class NoteTemplatesApi
{
    public static IEndpointRouteBuilder MapNoteTemplatesApi(this IEndpointRouteBuilder app)
    {
        var templates = app.MapGroup("/api/note-templates").WithTags("Notes").RequireAuthorization();
        templates.MapPost("/", Create).RequireAuthorization(Policies.ManagerOrAdmin);
        templates.MapGet("/", List);
        templates.MapGet("/packs", Packs).RequireAuthorization(Policies.ManagerOrAdmin);
        templates.MapPost("/import", Import).RequireAuthorization(Policies.ManagerOrAdmin);
        templates.MapPost("/preview", PreviewDraft).AsRepLookup(RepLookups.Actions.NotePreview);
        templates.MapGet("/{id}", Get);
        templates.MapPut("/{id}", Update).RequireAuthorization(Policies.ManagerOrAdmin);
        templates.MapPost("/{id}/preview", Preview).AsRepLookup(RepLookups.Actions.NotePreview);
        templates.MapGet("/{id}/stats", Stats).RequireAuthorization(Policies.ManagerOrAdmin);
        return app;
    }

    private static async Task<Results<Created<NoteTemplateDto>, ValidationProblem, ProblemHttpResult>> Create(
        NoteTemplateRequest request, HttpContext http, IGrainFactory grains, NoteComposer composer, NoteTemplateScope scope)
    {
        var (errors, _) = await composer.CheckDraftAsync(request);
        if (errors.Count > 0)
        {
            return NoteResults.Invalid(errors);
        }

        var actor = http.User.ToActor();
        var unit = NoteTemplateScope.UnitFor(actor, request.OrgUnitId);
        if ((await UnknownUnitAsync(unit, scope) ?? await WriteRefusalAsync(actor, unit, scope)) is { } refusal)
        {
            return Refused<Created<NoteTemplateDto>>(refusal);
        }

        var id = request.Id ?? Guid.NewGuid().ToString("N")[..12];
        var grain = grains.GetGrain<ITemplateGrain>(id);
        var created = await grain.Create(request.ToDraft() with { OrgUnitId = unit }, null, actor);
        if (created.Error is { Code: ErrorCodes.AlreadyExists } && (await grain.Get())?.ToWire() is { } existing && !await scope.CanSeeAsync(actor, existing))
        {
            // Ids are company-wide: the id is taken, and that is all a caller learns of a template out of its reach.
            return ApiResults.Problem(CrmError.Conflict(ErrorCodes.AlreadyExists, $"The id '{id}' is taken; choose another id.", new() { ["templateId"] = id }));
        }

        return ApiResults.CreatedOrProblem(created.Map(t => t.ToWire()), t => $"/api/note-templates/{t.Id}");
    }

    private static async Task<Results<Ok<NoteTemplateDto>, ValidationProblem, ProblemHttpResult>> Update(
        string id, NoteTemplateRequest request, HttpContext http, IGrainFactory grains, NoteComposer composer, NoteTemplateScope scope)
    {
        var grain = grains.GetGrain<ITemplateGrain>(id);
        var actor = http.User.ToActor();
        if ((await grain.Get())?.ToWire() is not { } current || !await scope.CanSeeAsync(actor, current))
        {
            return ApiResults.NotFound("Note template", id);
        }

        var (errors, _) = await composer.CheckDraftAsync(request with { Id = null });
        if (request.Id is not null && request.Id != id)
        {
            errors["id"] = ["'id' is the template's id from the route; leave it out or repeat it."];
        }

        if (errors.Count > 0)
        {
            return NoteResults.Invalid(errors);
        }

        // Both the unit the template belongs to and the one it moves to must be the caller's to write.
        var refusal = await UnknownUnitAsync(request.OrgUnitId, scope)
            ?? await WriteRefusalAsync(actor, current.OrgUnitId, scope)
            ?? (request.OrgUnitId is null ? null : await WriteRefusalAsync(actor, request.OrgUnitId, scope));
        if (refusal is not null)
        {
            return Refused<Ok<NoteTemplateDto>>(refusal);
        }

        return ApiResults.OkOrProblem((await grain.AddVersion(request.ToDraft(), current.Source, actor)).Map(t => t.ToWire()));
    }

    private static async Task<Ok<IReadOnlyList<NoteTemplateDto>>> List(HttpContext http, NoteQueries queries, NoteTemplateScope scope)
    {
        var actor = http.User.ToActor();
        var path = await scope.PathOfAsync(actor);
        var visible = new List<NoteTemplateDto>();
        foreach (var template in await queries.AllTemplatesAsync())
        {
            if (await scope.CanSeeAsync(actor, template.OrgUnitId, path))
            {
                visible.Add(template);
            }
        }

        return TypedResults.Ok<IReadOnlyList<NoteTemplateDto>>(visible);
    }

    private static async Task<Results<Ok<NoteTemplateDto>, ProblemHttpResult>> Get(
        string id, int? version, HttpContext http, IGrainFactory grains, NoteTemplateScope scope)
    {
        var template = (await grains.GetGrain<ITemplateGrain>(id).Get(version))?.ToWire();
        if (template is null || !await scope.CanSeeAsync(http.User.ToActor(), template))
        {
            return ApiResults.NotFound("Note template", version is null ? id : $"{id} v{version}");
        }

        return TypedResults.Ok(template);
    }

    private static async Task<Results<Ok<NotePreviewDto>, ValidationProblem>> PreviewDraft(NotePreviewRequest request, HttpContext http, NoteComposer composer)
    {
        if (request.Template is not { } draft)
        {
            return new Validation().Check(false, "template", "'template' is required.").ToProblem();
        }

        var (errors, body) = await composer.CheckDraftAsync(draft);
        if (body is null)
        {
            return NoteResults.Invalid(errors);
        }

        var (answers, answerErrors) = composer.Check(draft.Fields!, composer.WithSamples(draft.Fields!, request.Answers));
        if (answers is null)
        {
            return NoteResults.Invalid(answerErrors);
        }

        var rendered = await composer.RenderAsync(body, answers, http.User.ToActor().OrgUnitId);
        return rendered.Ok ? PreviewOf(rendered, answers) : new Validation().Check(false, "body", rendered.Error!).ToProblem();
    }

    private static async Task<Results<Ok<NotePreviewDto>, ValidationProblem, ProblemHttpResult>> Preview(
        string id, TemplatePreviewRequest? request, HttpContext http, IGrainFactory grains, NoteComposer composer, NoteTemplateScope scope)
    {
        var template = (await grains.GetGrain<ITemplateGrain>(id).Get(request?.Version))?.ToWire();
        if (template is null || !await scope.CanSeeAsync(http.User.ToActor(), template))
        {
            return ApiResults.NotFound("Note template", id);
        }

        var (answers, errors) = composer.Check(template.Fields, composer.WithSamples(template.Fields, request?.Answers));
        if (answers is null)
        {
            return NoteResults.Invalid(errors);
        }

        var rendered = await composer.RenderAsync(template, answers, http.User.ToActor().OrgUnitId);
        return rendered.Ok ? PreviewOf(rendered, answers) : NoteResults.RenderFailed(template, rendered);
    }

    private static async Task<Results<Ok<NoteTemplateStatsDto>, ValidationProblem, ProblemHttpResult>> Stats(
        string id, string? from, string? to, string? orgUnitId, HttpContext http,
        IGrainFactory grains, NoteQueries queries, NoteTemplateScope scope, CalendarDirectory calendars)
    {
        var actor = http.User.ToActor();
        var template = (await grains.GetGrain<ITemplateGrain>(id).Get())?.ToWire();
        if (template is null || !await scope.CanSeeAsync(actor, template))
        {
            return ApiResults.NotFound("Note template", id);
        }

        var unit = NoteTemplateScope.UnitFor(actor, orgUnitId);
        if ((await UnknownUnitAsync(unit, scope) ?? await ReportRefusalAsync(actor, unit, scope)) is { } refusal)
        {
            return Refused<Ok<NoteTemplateStatsDto>>(refusal);
        }

        // Dates are local to the unit's calendar (the company's: the default), as in the other reports.
        var calendar = (await calendars.ForUnitAsync(unit)).Calendar;
        var validation = new Validation();
        var start = RangeBound(from, "from", false, calendar, validation);
        var end = RangeBound(to, "to", true, calendar, validation);
        validation.Check(!(start >= end), "from", "'from' must be before 'to'.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var (notes, counts) = await queries.StatsAsync(id, start, end, unit is null ? null : await scope.SubtreeAsync(unit));
        return TypedResults.Ok(new NoteTemplateStatsDto(id, start, end, unit, notes, NoteAnswerTally.Of(template.Fields, counts)));
    }

    /// <summary>
    /// One end of the stats' range: a local date (<c>yyyy-MM-dd</c>, 2000 to 2100) is the whole day in the calendar, so
    /// <c>to</c> includes its day; an instant with a time (ISO 8601) is taken as it is, <c>to</c> excluded.
    /// </summary>
    private static DateTimeOffset? RangeBound(string? text, string field, bool isEnd, WorkCalendar calendar, Validation validation)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            validation.Check(day.Year is >= 2000 and <= 2100, field, $"'{field}' is a date in 2000 to 2100.");
            return day.Year is >= 2000 and <= 2100 ? calendar.LocalAt(isEnd ? day.AddDays(1) : day, TimeOnly.MinValue) : null;
        }

        if (text.Length <= 64 && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            return instant;
        }

        validation.Check(false, field, $"'{field}' is a local date (yyyy-MM-dd) or an instant (ISO 8601).");
        return null;
    }

    private static Ok<IReadOnlyList<NoteTemplatePackDto>> Packs(NoteTemplateImporter importer) => TypedResults.Ok(importer.Packs());

    private static async Task<Results<Ok<IReadOnlyList<ImportNoteTemplateResult>>, ValidationProblem, ProblemHttpResult>> Import(
        ImportNoteTemplatesRequest request, HttpContext http, NoteTemplateImporter importer, NoteTemplateScope scope)
    {
        var validation = new Validation().Require(request.Plugin, "plugin", 200)
            .Check(request.IdPrefix is null || NoteTemplateRules.IsValidId(request.IdPrefix) && request.IdPrefix.Length <= 32, "idPrefix",
                "An id prefix is lower-case letters, digits and dashes (at most 32), e.g. 'east-'.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var actor = http.User.ToActor();
        var unit = NoteTemplateScope.UnitFor(actor, request.OrgUnitId);
        if ((await UnknownUnitAsync(unit, scope) ?? await WriteRefusalAsync(actor, unit, scope)) is { } refusal)
        {
            return Refused<Ok<IReadOnlyList<ImportNoteTemplateResult>>>(refusal);
        }

        return ApiResults.OkOrProblem(await importer.ImportAsync(request.Plugin!, request.TemplateIds, unit, request.IdPrefix, actor));
    }

    private static Ok<NotePreviewDto> PreviewOf(NoteRenderResult rendered, NoteAnswers answers) =>
        TypedResults.Ok(new NotePreviewDto(rendered.Text!, JsonSerializer.Deserialize<JsonElement>(answers.Json)));

    private static async Task<CrmError?> UnknownUnitAsync(string? unit, NoteTemplateScope scope) =>
        unit is not null && !await scope.ExistsAsync(unit) ? CrmError.Invalid("orgUnitId", $"Org unit '{unit}' does not exist.") : null;

    private static async Task<CrmError?> WriteRefusalAsync(Actor actor, string? unit, NoteTemplateScope scope) =>
        await scope.CanWriteAsync(actor, unit)
            ? null
            : CrmError.Forbidden(unit is null
                ? "Only admins write company-wide templates."
                : "You may only write templates for your own org unit and the units below it.");

    /// <summary>Statistics cover a unit's subtree: one the caller may report on, or the whole company for an admin.</summary>
    private static async Task<CrmError?> ReportRefusalAsync(Actor actor, string? unit, NoteTemplateScope scope) =>
        unit is null
            ? actor.Role == UserRole.Admin ? null : CrmError.Forbidden("A manager without an org unit has no statistics to see.")
            : await scope.CanReportOnAsync(actor, unit) ? null : CrmError.Forbidden("You may only see statistics of your own org unit and the units below it.");

    private static Results<TOk, ValidationProblem, ProblemHttpResult> Refused<TOk>(CrmError error) where TOk : IResult =>
        error.Status == 400 ? ApiResults.Invalid(error) : ApiResults.Problem(error);
}
