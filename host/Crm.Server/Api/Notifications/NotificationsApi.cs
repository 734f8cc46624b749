using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Notifications;
using Crm.Server.Api.Common;
using Crm.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Notifications;

/// <summary>
/// The caller's own message center: every event pushed to the caller, kept for the configured retention. Nobody reads
/// another user's notifications (a manager sees its reps' events in its own, through its units).
/// </summary>
public static class NotificationsApi
{
    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/notifications").WithTags("Notifications").RequireAuthorization();
        api.MapGet("/", List);
        api.MapGet("/unread-count", UnreadCount);
        api.MapPost("/{id:long}/read", MarkRead);
        api.MapPost("/read-all", MarkAllRead);
        return app;
    }

    /// <summary>Newest first; <c>unread=true</c> for the unread ones only, <c>unread=false</c> for the read ones, neither for all.</summary>
    private static async Task<Results<Ok<Page<Notification>>, ValidationProblem>> List(
        bool? unread, int? page, int? pageSize, HttpContext http, NotificationStore store)
    {
        var validation = new Validation().CheckPaging(page, pageSize);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var (limit, offset) = Paging.LimitOffset(page, pageSize);
        var (items, total) = await store.PageAsync(http.User.ToVisibility().UserId, unread, limit, offset);
        return TypedResults.Ok(new Page<Notification>(items.Select(NotificationMapping.ToClient).ToList(), total));
    }

    private static async Task<Ok<UnreadCountDto>> UnreadCount(HttpContext http, NotificationStore store)
    {
        var userId = http.User.ToVisibility().UserId;
        var unread = await store.UnreadCountAsync(userId);
        var (lastId, _) = await store.TailAsync(userId, 0);
        return TypedResults.Ok(new UnreadCountDto(unread, lastId));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> MarkRead(long id, HttpContext http, NotificationStore store, TimeProvider clock) =>
        await store.MarkReadAsync(http.User.ToVisibility().UserId, id, UnixTime.ToMs(clock.GetUtcNow()))
            ? TypedResults.NoContent()
            : ApiResults.NotFound("Notification", id.ToString());

    private static async Task<Results<Ok<MarkedReadDto>, ValidationProblem>> MarkAllRead(
        MarkAllReadRequest? request, HttpContext http, NotificationStore store, TimeProvider clock)
    {
        var validation = new Validation().Check(request?.UpToId is null or >= 0, "upToId", "'upToId' must not be negative.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var marked = await store.MarkAllReadAsync(http.User.ToVisibility().UserId, request?.UpToId, UnixTime.ToMs(clock.GetUtcNow()));
        return TypedResults.Ok(new MarkedReadDto(marked));
    }
}
