using Crm.Client;
using Crm.Server.Api.Common;
using Crm.Server.Auth;
using Crm.Server.Org;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Notes;

/// <summary>Next follow-ups the notes set: a rep's due reminders.</summary>
public static class NoteRemindersApi
{
    public static IEndpointRouteBuilder MapNoteRemindersApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/reps").WithTags("Notes").RequireAuthorization().MapGet("/{id}/reminders", Reminders);
        return app;
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
}
