using Crm.Client;
using Crm.Grains.Push;
using Crm.Server.Api.Pools;
using Crm.Server.Auth;
using Crm.Server.Org;
using Crm.Server.Permissions;
using Crm.Grains.Org;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Crm.Server.Hubs;

/// <summary>
/// <c>/hubs/reps</c>. A rep's connection joins its own channel only; a manager's joins the channels of its
/// org unit and every unit below it (never above or beside); an admin's, like a manager's, those of the unit it sits
/// on, if any (subscribing an admin to every unit would cost one channel per unit per connection). The units are
/// those of the moment of connecting: a unit created or moved later reaches a manager after it reconnects.
/// Events arrive through <see cref="PushRelay"/>. A connection may also watch public pools it can see
/// (<see cref="WatchPool"/>): it then hears the claims, assignments, releases and recycles of that pool's leads.
/// A connection ends when its token expires or its user's access changes (<see cref="HubSessions"/>); one user holds
/// a limited number of connections per silo.
/// </summary>
[Authorize]
public sealed class RepHub(PushRelay relay, OrgUnitDirectory units, PoolQueries pools, HubSessions sessions) : Hub
{
    public const string Path = "/hubs/reps";

    /// <summary>A connection watches a few pools at a time (the screens it shows), not every pool of a company.</summary>
    public const int MaxWatchedPools = 20;

    public override async Task OnConnectedAsync()
    {
        var user = Context.User!;
        var visibility = user.ToVisibility();
        var expires = long.TryParse(user.FindFirst("exp")?.Value, out var exp) ? DateTimeOffset.FromUnixTimeSeconds(exp) : DateTimeOffset.MinValue;
        var context = Context;
        if (!sessions.TryAdmit(new HubSession(Context.ConnectionId, visibility.UserId, visibility.Role,
                user.FindFirst(TokenService.OrgUnitClaim)?.Value, user.FindFirst(CallerClaims.PathClaim)?.Value is { } path && path != OrgPaths.Nowhere ? path : null,
                expires, context.Abort)))
        {
            throw new HubException("Too many live-event connections for this user.");
        }

        var channels = await ChannelsOf(user);
        Context.Items["channels"] = channels;
        foreach (var channel in channels)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, channel);
            await relay.AddListenerAsync(channel);
        }

        await base.OnConnectedAsync();
    }

    /// <summary>
    /// The channels this connection listens on. SignalR runs a connection's calls only after its connect
    /// handler finished, so a client that awaits this knows its subscriptions are in place.
    /// </summary>
    public IReadOnlyList<string> Channels() =>
        Context.Items["channels"] as IReadOnlyList<string> ?? [];

    /// <summary>
    /// Starts hearing a public pool's comings and goings; false when the pool does not exist, the caller may not see
    /// it, or the connection already watches <see cref="MaxWatchedPools"/> pools. Watching twice is one watch.
    /// </summary>
    public async Task<bool> WatchPool(string poolId)
    {
        var watched = WatchedPools();
        if (string.IsNullOrEmpty(poolId) || poolId.Length > 64)
        {
            return false;
        }

        if (watched.Contains(poolId))
        {
            return true;
        }

        if (watched.Count >= MaxWatchedPools || !await pools.IsVisibleAsync(poolId, Context.User!.ToVisibility()))
        {
            return false;
        }

        watched.Add(poolId);
        await Groups.AddToGroupAsync(Context.ConnectionId, PushChannels.Pool(poolId));
        await relay.AddListenerAsync(PushChannels.Pool(poolId));
        return true;
    }

    public async Task UnwatchPool(string poolId)
    {
        if (WatchedPools().Remove(poolId))
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, PushChannels.Pool(poolId));
            await relay.RemoveListenerAsync(PushChannels.Pool(poolId));
        }
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        sessions.Remove(Context.ConnectionId);
        if (Context.Items["channels"] is IReadOnlyList<string> channels)
        {
            foreach (var channel in channels)
            {
                await relay.RemoveListenerAsync(channel);
            }
        }

        foreach (var poolId in WatchedPools())
        {
            await relay.RemoveListenerAsync(PushChannels.Pool(poolId));
        }

        await base.OnDisconnectedAsync(exception);
    }

    private HashSet<string> WatchedPools()
    {
        if (Context.Items["pools"] is not HashSet<string> watched)
        {
            watched = new HashSet<string>(StringComparer.Ordinal);
            Context.Items["pools"] = watched;
        }

        return watched;
    }

    private async Task<IReadOnlyList<string>> ChannelsOf(System.Security.Claims.ClaimsPrincipal user)
    {
        var visibility = user.ToVisibility();
        var channels = new List<string> { PushChannels.Rep(visibility.UserId) };
        if (visibility.Role is Role.Manager or Role.Admin && user.FindFirst(TokenService.OrgUnitClaim)?.Value is { } unit)
        {
            channels.AddRange((await units.SubtreeAsync(unit)).Select(PushChannels.Unit));
        }

        return channels;
    }
}
