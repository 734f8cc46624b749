using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Notes;
using Crm.Server.Api.Common;
using Crm.Server.Api.Customers;
using Crm.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Notes;

/// <summary>Notes on customers: answers to a template, rendered and written to the customer's history.</summary>
public static class CustomerNotesApi
{
    /// <summary>On the shared <c>/api/customers</c> group (Composition/ApiComposition).</summary>
    public static RouteGroupBuilder MapCustomerNotesApi(this RouteGroupBuilder customers)
    {
        var notes = customers.MapGroup("").WithTags("Notes");
        notes.MapPost("/{id:guid}/notes", AddNote);
        notes.MapGet("/{id:guid}/notes", Notes);
        return customers;
    }

    private static async Task<Results<Created<NoteDto>, ValidationProblem, ProblemHttpResult>> AddNote(
        Guid id, AddNoteRequest request, HttpContext http, IGrainFactory grains, NoteComposer composer, NoteTemplateScope scope,
        CustomerQueries customers)
    {
        // A customer out of the caller's reach is 404 before anything is said about the template or the answers, so
        // the answer never tells another unit's customer from no customer.
        if (!await customers.IsVisibleAsync(id, http.User.ToVisibility()))
        {
            return ApiResults.NotFound("Customer", id.ToString());
        }

        var validation = new Validation().Require(request.TemplateId, "templateId", 64)
            .Check(request.Version is null or >= 1, "version", "'version' starts at 1.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var actor = http.User.ToActor();
        var template = (await grains.GetGrain<ITemplateGrain>(request.TemplateId!).Get(request.Version))?.ToWire();
        if (template is null || !await scope.CanSeeAsync(actor, template))
        {
            return await UnavailableAsync(request, actor, grains, scope);
        }

        var (answers, errors) = composer.Check(template.Fields, request.Answers);
        if (answers is null)
        {
            return NoteResults.Invalid(errors);
        }

        var rendered = await composer.RenderAsync(template, answers, actor.OrgUnitId);
        if (!rendered.Ok)
        {
            return NoteResults.RenderFailed(template, rendered);
        }

        var added = await grains.GetGrain<ICustomerGrain>(id).AddNote(NoteOf(template, answers, rendered), actor);
        if (added.Error is { } error)
        {
            return error.Status == 400 ? ApiResults.Invalid(error) : ApiResults.Problem(error);
        }

        return TypedResults.Created($"/api/customers/{id}/notes#{added.Value!.Seq}", NoteEntryData.ToNote(id, added.Value));
    }

    /// <summary>The customer's notes, newest first, a page at a time (as the timeline pages).</summary>
    private static async Task<Results<Ok<NotePage>, ValidationProblem, ProblemHttpResult>> Notes(
        Guid id, string? before, int? limit, HttpContext http, IGrainFactory grains) =>
        await TimelinePaging.PageAsync(id, before, limit,
            (cursor, size) => grains.GetGrain<ICustomerGrain>(id).GetNotes(cursor, size, http.User.ToActor()),
            page => new NotePage(page.Items.Select(e => NoteEntryData.ToNote(id, e)).ToList(), page.NextBefore));

    /// <summary>
    /// A template the caller cannot use is a field error: the version when the caller sees the template but not that version;
    /// another unit's template answers as one that does not exist.
    /// </summary>
    private static async Task<ValidationProblem> UnavailableAsync(AddNoteRequest request, Actor actor, IGrainFactory grains, NoteTemplateScope scope)
    {
        var latest = request.Version is null ? null : (await grains.GetGrain<ITemplateGrain>(request.TemplateId!).Get())?.ToWire();
        var field = latest is not null && await scope.CanSeeAsync(actor, latest) ? "version" : "templateId";
        return new Validation().Check(false, field, $"No template '{request.TemplateId}'{(request.Version is { } v ? $" version {v}" : "")} is available to you.").ToProblem();
    }

    private static NoteRecord NoteOf(NoteTemplateDto template, NoteAnswers answers, NoteRenderResult rendered) =>
        new(Guid.NewGuid().ToString("N"), template.Id, template.Version, rendered.Text!, answers.Json, answers.Choices,
            answers.NextFollowUp is { } next ? new DateTimeOffset(next.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null);
}
