using Crm.Client;
using Crm.Grains.Notifications;
using Crm.Grains.Push;
using Crm.Grains.Leaderboards;
using Crm.Server.Api.Leaderboards;
using Crm.Server.Api.Notifications;
using Crm.Server.Api.Pools;
using Crm.Server.Auth;
using Crm.Server.Org;
using Crm.Server.Permissions;
using Crm.Grains.Org;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Crm.Server.Hubs;

/// <summary>
/// <c>/hubs/reps</c>. A connection listens to its own user's inbox: a rep's events about its customers, a manager's
/// (and an admin's that sits on a unit) also those of its unit and every unit below it, as the org tree stands when
/// each event is routed. Events arrive through <see cref="PushRelay"/>, as typed methods until the client calls
/// <see cref="Resume"/>, as numbered <see cref="Notification"/>s after. A connection may also watch public pools it can
/// see (<see cref="WatchPool"/>): it then hears the claims, assignments, releases and recycles of that pool's leads
/// (live only, always as typed methods). A connection ends when its token expires, its user's access changes or its
/// user no longer sees a pool it watches (<see cref="HubSessions"/>); one user holds a limited number of connections per silo.
/// </summary>
[Authorize]
public sealed class RepHub(PushRelay relay, NotificationStore notifications, PoolQueries pools, HubSessions sessions, LeaderboardAccess leaderboards) : Hub
{
    public const string Path = "/hubs/reps";

    /// <summary>A connection watches a few pools at a time (the screens it shows), not every pool of a company.</summary>
    public const int MaxWatchedPools = 20;

    /// <summary>How many missed notifications one <see cref="Resume"/> call returns at most; the client asks again for more.</summary>
    public const int ResumeBatch = 200;

    private const string Resumed = "resumed";

    private const string SessionKey = "session";

    private string UserId => Context.User!.ToVisibility().UserId;

    public override async Task OnConnectedAsync()
    {
        var user = Context.User!;
        var visibility = user.ToVisibility();
        var expires = long.TryParse(user.FindFirst("exp")?.Value, out var exp) ? DateTimeOffset.FromUnixTimeSeconds(exp) : DateTimeOffset.MinValue;
        var context = Context;
        var session = new HubSession(Context.ConnectionId, visibility.UserId, visibility.Role,
            user.FindFirst(TokenService.OrgUnitClaim)?.Value, user.FindFirst(CallerClaims.PathClaim)?.Value is { } path && path != OrgPaths.Nowhere ? path : null,
            expires, context.Abort, TokenService.SessionVersionOf((System.Security.Claims.ClaimsIdentity)user.Identity!));
        Context.Items[SessionKey] = session;
        if (!sessions.TryAdmit(session))
        {
            throw new HubException("Too many live-event connections for this user.");
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, PushChannels.Rep(UserId));
        await relay.AddListenerAsync(PushChannels.Rep(UserId));
        await base.OnConnectedAsync();
    }

    /// <summary>
    /// The channels this connection listens on. SignalR runs a connection's calls only after its connect
    /// handler finished, so a client that awaits this knows its subscriptions are in place.
    /// </summary>
    public IReadOnlyList<string> Channels() => [PushChannels.Rep(UserId)];

    /// <summary>
    /// Switches this connection to numbered notifications and answers what the user has after
    /// <paramref name="lastSeenId"/>, oldest first (at most <see cref="ResumeBatch"/>; <c>hasMore</c> says to call again
    /// with the last id returned). The connection joins the live group before the read, so whatever is stored after the
    /// read also arrives live; what arrives both ways the client keeps once, by id (the typed client does).
    /// </summary>
    public async Task<NotificationCatchUp> Resume(long lastSeenId)
    {
        if (!Context.Items.ContainsKey(Resumed))
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, PushChannels.Inbox(UserId));
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, PushChannels.Rep(UserId));
            Context.Items[Resumed] = true;
        }

        var rows = await notifications.AfterAsync(UserId, Math.Max(0, lastSeenId), ResumeBatch + 1);
        return new NotificationCatchUp(rows.Take(ResumeBatch).Select(NotificationMapping.ToClient).ToList(), rows.Count > ResumeBatch);
    }

    /// <summary>
    /// Starts hearing a public pool's comings and goings; false when the pool does not exist, the caller may not see
    /// it, or the connection already watches <see cref="MaxWatchedPools"/> pools. Watching twice is one watch. Should
    /// the caller lose sight of the pool later, <see cref="HubSessions"/> closes the connection within a second.
    /// </summary>
    public async Task<bool> WatchPool(string poolId)
    {
        var watched = Session.WatchedPools;
        // Not an id: unknown without asking the database (PostgreSQL refuses a NUL in text).
        if (string.IsNullOrEmpty(poolId) || poolId.Length > 64 || poolId.Any(char.IsControl))
        {
            return false;
        }

        if (watched.ContainsKey(poolId))
        {
            return true;
        }

        if (watched.Count >= MaxWatchedPools || !await pools.IsVisibleAsync(poolId, Context.User!.ToVisibility()))
        {
            return false;
        }

        // Listed before joining the group: from the first event on, the check every second looks at this pool too.
        watched.TryAdd(poolId, 0);
        await Groups.AddToGroupAsync(Context.ConnectionId, PushChannels.Pool(poolId));
        await relay.AddListenerAsync(PushChannels.Pool(poolId));
        return true;
    }

    public async Task UnwatchPool(string poolId)
    {
        if (Session.WatchedPools.TryRemove(poolId, out _))
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, PushChannels.Pool(poolId));
            await relay.RemoveListenerAsync(PushChannels.Pool(poolId));
        }
    }

    /// <summary>
    /// Starts hearing <c>LeaderboardChanged</c> for the board of an org unit (null: the caller's own unit; an admin's,
    /// the company), if the caller may read that board (<see cref="LeaderboardAccess"/>); false otherwise or past
    /// <see cref="MaxWatchedPools"/> boards. Watching twice is one watch.
    /// </summary>
    public async Task<bool> WatchLeaderboard(string? scopeId)
    {
        var watched = Watched("boards");
        if (scopeId?.Length > 64 || scopeId?.Any(char.IsControl) == true || watched.Count >= MaxWatchedPools)
        {
            return false;
        }

        var (scope, refused) = await leaderboards.ResolveAsync(scopeId, Context.User!);
        if (refused is not null || !watched.Add(LeaderboardAccess.BoardOf(scope!)))
        {
            return refused is null;
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, LeaderboardBoards.Channel(LeaderboardAccess.BoardOf(scope!)));
        await relay.AddListenerAsync(LeaderboardBoards.Channel(LeaderboardAccess.BoardOf(scope!)));
        return true;
    }

    public async Task UnwatchLeaderboard(string? scopeId)
    {
        var board = string.IsNullOrWhiteSpace(scopeId) ? null : scopeId.Trim();
        var watched = Watched("boards");
        if (board is null)
        {
            var (scope, _) = await leaderboards.ResolveAsync(null, Context.User!);
            board = scope is null ? null : LeaderboardAccess.BoardOf(scope);
        }

        if (board is not null && watched.Remove(board))
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, LeaderboardBoards.Channel(board));
            await relay.RemoveListenerAsync(LeaderboardBoards.Channel(board));
        }
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        sessions.Remove(Context.ConnectionId);
        await relay.RemoveListenerAsync(PushChannels.Rep(UserId));
        foreach (var poolId in Session.WatchedPools.Keys)
        {
            await relay.RemoveListenerAsync(PushChannels.Pool(poolId));
        }

        foreach (var board in Watched("boards"))
        {
            await relay.RemoveListenerAsync(LeaderboardBoards.Channel(board));
        }

        await base.OnDisconnectedAsync(exception);
    }

    private HubSession Session => (HubSession)Context.Items[SessionKey]!;

    private HashSet<string> Watched(string what)
    {
        if (Context.Items[what] is not HashSet<string> watched)
        {
            watched = new HashSet<string>(StringComparer.Ordinal);
            Context.Items[what] = watched;
        }

        return watched;
    }
}
