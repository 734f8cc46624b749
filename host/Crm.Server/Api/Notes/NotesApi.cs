using System.Text.Json;
using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Notes;
using Crm.Server.Api.Common;
using Crm.Server.Api.Customers;
using Crm.Server.Auth;
using Crm.Server.Org;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Notes;

/// <summary>Quick notes: templates (versioned Scriban bodies over a question schema), notes on customers, stats, reminders.</summary>
public static class NotesApi
{
    public static IEndpointRouteBuilder MapNotesApi(this IEndpointRouteBuilder app)
    {
        var templates = app.MapGroup("/api/note-templates").WithTags("Notes").RequireAuthorization();
        templates.MapPost("/", Create).RequireAuthorization(Policies.ManagerOrAdmin);
        templates.MapGet("/", List);
        templates.MapGet("/packs", Packs).RequireAuthorization(Policies.ManagerOrAdmin);
        templates.MapPost("/import", Import).RequireAuthorization(Policies.ManagerOrAdmin);
        templates.MapPost("/preview", PreviewDraft);
        templates.MapGet("/{id}", Get);
        templates.MapPut("/{id}", Update).RequireAuthorization(Policies.ManagerOrAdmin);
        templates.MapPost("/{id}/preview", Preview);
        templates.MapGet("/{id}/stats", Stats).RequireAuthorization(Policies.ManagerOrAdmin);

        var customers = app.MapGroup("/api/customers").WithTags("Notes").RequireAuthorization();
        customers.MapPost("/{id:guid}/notes", AddNote);
        customers.MapGet("/{id:guid}/notes", Notes);

        app.MapGroup("/api/reps").WithTags("Notes").RequireAuthorization().MapGet("/{id}/reminders", Reminders);
        return app;
    }

    private static async Task<Results<Created<NoteTemplateDto>, ValidationProblem, ProblemHttpResult>> Create(
        NoteTemplateRequest request, HttpContext http, IGrainFactory grains, NoteComposer composer, NoteTemplateScope scope)
    {
        var (errors, _) = await composer.CheckDraftAsync(request);
        if (errors.Count > 0)
        {
            return Problem(errors);
        }

        var actor = http.User.ToActor();
        var unit = request.OrgUnitId ?? (actor.Role == Role.Admin ? null : actor.OrgUnitId);
        if (await UnknownUnitAsync(unit, scope) is { } unknown)
        {
            return unknown;
        }

        if (await RefuseUnitAsync(actor, unit, scope) is { } refused)
        {
            return refused;
        }

        var id = request.Id ?? Guid.NewGuid().ToString("N")[..12];
        var created = await grains.GetGrain<ITemplateGrain>(id).Create(request with { OrgUnitId = unit }, null, actor);
        return ApiResults.CreatedOrProblem(created, t => $"/api/note-templates/{t.Id}");
    }

    private static async Task<Results<Ok<NoteTemplateDto>, ValidationProblem, ProblemHttpResult>> Update(
        string id, NoteTemplateRequest request, HttpContext http, IGrainFactory grains, NoteComposer composer, NoteTemplateScope scope)
    {
        var grain = grains.GetGrain<ITemplateGrain>(id);
        if (await grain.Get() is not { } current)
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
            return Problem(errors);
        }

        var actor = http.User.ToActor();
        if (await UnknownUnitAsync(request.OrgUnitId, scope) is { } unknown)
        {
            return unknown;
        }

        var refused = await RefuseUnitAsync(actor, current.OrgUnitId, scope);
        if (refused is null && request.OrgUnitId is not null)
        {
            refused = await RefuseUnitAsync(actor, request.OrgUnitId, scope);
        }

        if (refused is not null)
        {
            return refused;
        }

        return ApiResults.OkOrProblem(await grain.AddVersion(request, current.Source, actor));
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
        var template = await grains.GetGrain<ITemplateGrain>(id).Get(version);
        var actor = http.User.ToActor();
        if (template is null || !await scope.CanSeeAsync(actor, template.OrgUnitId, await scope.PathOfAsync(actor)))
        {
            return ApiResults.NotFound("Note template", version is null ? id : $"{id} v{version}");
        }

        return TypedResults.Ok(template);
    }

    private static async Task<Results<Ok<NotePreviewDto>, ValidationProblem>> PreviewDraft(NotePreviewRequest request, NoteComposer composer)
    {
        if (request.Template is not { } draft)
        {
            return new Validation().Check(false, "template", "'template' is required.").ToProblem();
        }

        var (errors, body) = await composer.CheckDraftAsync(draft);
        if (body is null)
        {
            return Problem(errors);
        }

        var (answers, answerErrors) = composer.Check(draft.Fields!, composer.WithSamples(draft.Fields!, request.Answers));
        if (answers is null)
        {
            return Problem(answerErrors);
        }

        var rendered = await composer.RenderAsync(body, answers);
        return rendered.Ok
            ? TypedResults.Ok(new NotePreviewDto(rendered.Text!, JsonSerializer.Deserialize<JsonElement>(answers.Json)))
            : new Validation().Check(false, "body", rendered.Error!).ToProblem();
    }

    private static async Task<Results<Ok<NotePreviewDto>, ValidationProblem, ProblemHttpResult>> Preview(
        string id, TemplatePreviewRequest? request, HttpContext http, IGrainFactory grains, NoteComposer composer, NoteTemplateScope scope)
    {
        var template = await grains.GetGrain<ITemplateGrain>(id).Get(request?.Version);
        var actor = http.User.ToActor();
        if (template is null || !await scope.CanSeeAsync(actor, template.OrgUnitId, await scope.PathOfAsync(actor)))
        {
            return ApiResults.NotFound("Note template", id);
        }

        var (answers, errors) = composer.Check(template.Fields, composer.WithSamples(template.Fields, request?.Answers));
        if (answers is null)
        {
            return Problem(errors);
        }

        var rendered = await composer.RenderAsync(template, answers);
        return rendered.Ok
            ? TypedResults.Ok(new NotePreviewDto(rendered.Text!, JsonSerializer.Deserialize<JsonElement>(answers.Json)))
            : RenderFailed(template, rendered);
    }

    private static async Task<Results<Created<NoteDto>, ValidationProblem, ProblemHttpResult>> AddNote(
        Guid id, AddNoteRequest request, HttpContext http, IGrainFactory grains, NoteComposer composer, NoteTemplateScope scope)
    {
        var validation = new Validation().Require(request.TemplateId, "templateId", 64)
            .Check(request.Version is null or >= 1, "version", "'version' starts at 1.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var actor = http.User.ToActor();
        var template = await grains.GetGrain<ITemplateGrain>(request.TemplateId!).Get(request.Version);
        if (template is null || !await scope.CanSeeAsync(actor, template.OrgUnitId, await scope.PathOfAsync(actor)))
        {
            var field = request.Version is not null && await grains.GetGrain<ITemplateGrain>(request.TemplateId!).Get() is not null ? "version" : "templateId";
            return new Validation().Check(false, field, $"No template '{request.TemplateId}'{(request.Version is { } v ? $" version {v}" : "")} is available to you.").ToProblem();
        }

        var (answers, errors) = composer.Check(template.Fields, request.Answers);
        if (answers is null)
        {
            return Problem(errors);
        }

        var rendered = await composer.RenderAsync(template, answers);
        if (!rendered.Ok)
        {
            return RenderFailed(template, rendered);
        }

        var note = new NoteRecord(Guid.NewGuid().ToString("N"), template.Id, template.Version, rendered.Text!, answers.Json,
            answers.Choices, answers.NextFollowUp is { } next ? new DateTimeOffset(next.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null);
        var added = await grains.GetGrain<ICustomerGrain>(id).AddNote(note, actor);
        if (added.Error is { } error)
        {
            return error.Status == 400 ? ApiResults.Invalid(error) : ApiResults.Problem(error);
        }

        return TypedResults.Created($"/api/customers/{id}/notes#{added.Value!.Seq}", NoteEntryData.ToNote(id, added.Value));
    }

    /// <summary>The customer's notes, newest first, a page at a time (as the timeline pages).</summary>
    private static async Task<Results<Ok<NotePage>, ValidationProblem, ProblemHttpResult>> Notes(
        Guid id, string? before, int? limit, HttpContext http, IGrainFactory grains, CustomerQueries customers)
    {
        var validation = TimelinePaging.Validate(before, limit, out var cursor);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        return await customers.IsVisibleAsync(id, http.User.ToVisibility())
            && await grains.GetGrain<ICustomerGrain>(id).GetNotes(cursor, limit ?? TimelinePaging.DefaultLimit) is { } page
            ? TypedResults.Ok(new NotePage(page.Items.Select(e => NoteEntryData.ToNote(id, e)).ToList(), page.NextBefore))
            : ApiResults.NotFound("Customer", id.ToString());
    }

    private static async Task<Results<Ok<NoteTemplateStatsDto>, ValidationProblem, ProblemHttpResult>> Stats(
        string id, DateTimeOffset? from, DateTimeOffset? to, string? orgUnitId, HttpContext http,
        IGrainFactory grains, NoteQueries queries, NoteTemplateScope scope)
    {
        var actor = http.User.ToActor();
        var template = await grains.GetGrain<ITemplateGrain>(id).Get();
        if (template is null || !await scope.CanSeeAsync(actor, template.OrgUnitId, await scope.PathOfAsync(actor)))
        {
            return ApiResults.NotFound("Note template", id);
        }

        if (from is { } f && to is { } t && f >= t)
        {
            return new Validation().Check(false, "from", "'from' must be before 'to'.").ToProblem();
        }

        var unit = orgUnitId ?? (actor.Role == Role.Admin ? null : actor.OrgUnitId);
        IReadOnlyList<string>? units = null;
        if (unit is not null)
        {
            if (!await scope.ExistsAsync(unit))
            {
                return new Validation().Check(false, "orgUnitId", $"Org unit '{unit}' does not exist.").ToProblem();
            }

            if (!await scope.CanReportOnAsync(actor, unit))
            {
                return ApiResults.Problem(CrmError.Forbidden("You may only see statistics of your own org unit and the units below it."));
            }

            units = await scope.SubtreeAsync(unit);
        }
        else if (actor.Role != Role.Admin)
        {
            return ApiResults.Problem(CrmError.Forbidden("A manager without an org unit has no statistics to see."));
        }

        var (notes, counts) = await queries.StatsAsync(id, from, to, units);
        var fields = template.Fields
            .Where(field => field.Type is NoteFieldType.SingleChoice or NoteFieldType.MultiChoice or NoteFieldType.YesNo)
            .Select(field =>
            {
                var options = field.Type == NoteFieldType.YesNo ? ["yes", "no"] : field.Options ?? [];
                var tally = options.ToDictionary(o => o, _ => 0L);
                foreach (var (value, count) in counts.GetValueOrDefault(field.Key!) ?? [])
                {
                    tally[value] = count; // options of older versions still count
                }

                return new NoteFieldStatsDto(field.Key!, field.Label!, field.Type!.Value, tally);
            })
            .ToList();
        return TypedResults.Ok(new NoteTemplateStatsDto(id, from, to, unit, notes, fields));
    }

    private static async Task<Results<Ok<Page<DueReminderDto>>, ValidationProblem, ProblemHttpResult>> Reminders(
        string id, DateTimeOffset? until, int? page, int? pageSize, HttpContext http, NoteQueries queries, UserDirectory users, TimeProvider clock)
    {
        var validation = new Validation().CheckPaging(page, pageSize);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        // Like the private pool: a rep sees its own, a manager those of the reps in its subtree, an admin any.
        if (!await users.IsVisibleAsync(id, http.User.ToVisibility()))
        {
            return ApiResults.NotFound("Rep", id);
        }

        return TypedResults.Ok(await queries.DueAsync(id, until ?? clock.GetUtcNow(), page, pageSize));
    }

    private static Ok<IReadOnlyList<NoteTemplatePackDto>> Packs(IEnumerable<INoteTemplatePacks> sources) =>
        TypedResults.Ok<IReadOnlyList<NoteTemplatePackDto>>(sources.SelectMany(s => s.Available())
            .Select(p => new NoteTemplatePackDto(p.Plugin, p.Template.Id, p.Template.Name, p.Template.Language, p.Template.Description))
            .ToList());

    private static async Task<Results<Ok<IReadOnlyList<ImportNoteTemplateResult>>, ValidationProblem, ProblemHttpResult>> Import(
        ImportNoteTemplatesRequest request, HttpContext http, IEnumerable<INoteTemplatePacks> sources, IGrainFactory grains,
        NoteComposer composer, NoteTemplateScope scope)
    {
        var validation = new Validation().Require(request.Plugin, "plugin", 200);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var actor = http.User.ToActor();
        var unit = request.OrgUnitId ?? (actor.Role == Role.Admin ? null : actor.OrgUnitId);
        if (await UnknownUnitAsync(unit, scope) is { } unknown)
        {
            return unknown;
        }

        if (await RefuseUnitAsync(actor, unit, scope) is { } refused)
        {
            return refused;
        }

        var offered = sources.SelectMany(s => s.Available())
            .Where(p => string.Equals(p.Plugin, request.Plugin, StringComparison.OrdinalIgnoreCase)).ToList();
        if (offered.Count == 0)
        {
            return ApiResults.Problem(new CrmError(ErrorCodes.NotFound, $"No loaded plugin '{request.Plugin}' offers note templates.", 404,
                new() { ["plugin"] = request.Plugin! }));
        }

        var wanted = request.TemplateIds is { Count: > 0 } ids ? ids : offered.Select(p => p.Template.Id).ToList();
        var results = new List<ImportNoteTemplateResult>();
        foreach (var templateId in wanted.Distinct())
        {
            results.Add(await ImportOneAsync(templateId, offered, unit, actor, grains, composer));
        }

        return TypedResults.Ok<IReadOnlyList<ImportNoteTemplateResult>>(results);
    }

    private static async Task<ImportNoteTemplateResult> ImportOneAsync(
        string templateId, List<NoteTemplatePack> offered, string? unit, Actor actor, IGrainFactory grains, NoteComposer composer)
    {
        if (offered.FirstOrDefault(p => p.Template.Id == templateId) is not { } pack)
        {
            return new(templateId, "rejected", null, $"Plugin '{offered[0].Plugin}' offers no template '{templateId}'.");
        }

        var request = NoteTemplateImport.ToRequest(pack.Template, unit);
        var (errors, _) = await composer.CheckDraftAsync(request);
        if (errors.Count > 0)
        {
            return new(templateId, "rejected", null, string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        }

        var source = $"plugin:{pack.Plugin}";
        var grain = grains.GetGrain<ITemplateGrain>(templateId);
        var saved = await grain.Get();
        if (saved is not null && saved.Source != source)
        {
            return new(templateId, "rejected", null, $"The id '{templateId}' is taken by a template that did not come from '{pack.Plugin}'.");
        }

        if (saved is not null && NoteTemplateImport.SameContent(saved, request with { Language = request.Language ?? "en" }))
        {
            return new(templateId, "unchanged", saved.Version, null);
        }

        var result = saved is null ? await grain.Create(request, source, actor) : await grain.AddVersion(request, source, actor);
        return result.Error is { } error
            ? new(templateId, "rejected", null, error.Message)
            : new(templateId, saved is null ? "created" : "updated", result.Value!.Version, null);
    }

    private static async Task<ValidationProblem?> UnknownUnitAsync(string? unit, NoteTemplateScope scope) =>
        unit is not null && !await scope.ExistsAsync(unit)
            ? new Validation().Check(false, "orgUnitId", $"Org unit '{unit}' does not exist.").ToProblem()
            : null;

    private static async Task<ProblemHttpResult?> RefuseUnitAsync(Actor actor, string? unit, NoteTemplateScope scope) =>
        await scope.CanWriteAsync(actor, unit)
            ? null
            : ApiResults.Problem(CrmError.Forbidden(unit is null
                ? "Only admins write company-wide templates."
                : "You may only write templates for your own org unit and the units below it."));

    private static ProblemHttpResult RenderFailed(NoteTemplateDto template, NoteRenderResult rendered) =>
        ApiResults.Problem(CrmError.Conflict(ErrorCodes.TemplateRenderFailed,
            $"Template '{template.Id}' version {template.Version} could not render these answers: {rendered.Error}",
            new() { ["templateId"] = template.Id, ["version"] = template.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) }));

    private static ValidationProblem Problem(Dictionary<string, List<string>> errors) =>
        TypedResults.ValidationProblem(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
}
