using Crm.Grains.Common;
using System.Collections.Concurrent;
using Crm.Client;
using Crm.Grains.Org;
using Crm.Grains.Pools;
using Crm.Server.Auth;
using Microsoft.Extensions.Options;

namespace Crm.Server.Hubs;

/// <summary>One live-event connection as it was admitted: who, with which role and unit, until when, watching which pools.</summary>
public sealed record HubSession(string ConnectionId, string UserId, UserRole Role, string? OrgUnitId, string? OrgUnitPath,
    DateTimeOffset ExpiresAt, Action Close, long SessionVersion = 0)
{
    /// <summary>The pools the connection watches (<see cref="RepHub.WatchPool"/>); a set the check reads from its own thread.</summary>
    public ConcurrentDictionary<string, byte> WatchedPools { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// The live-event connections of this silo. A connection lives only as long as the token it was opened with and the
/// access it was admitted with: every second it is closed if the token has expired, or if the user's role, unit or
/// unit path changed, the user left or its sessions were ended (a password change or reset; read from the silo's
/// <see cref="OrgTreeCache"/>, which follows another silo's change within a second), or if the user may no longer see a pool the connection watches (its member list changed,
/// it moved with its unit out of a manager's subtree; read from the silo's <see cref="PoolDirectory"/>, which also
/// follows another silo's change within a second). The client reconnects with a fresh token and gets the channels of
/// its new access: watching that pool again is refused.
/// Also caps the connections of one user (<see cref="AuthOptions.MaxHubConnectionsPerUser"/>).
/// </summary>
public sealed class HubSessions(OrgTreeCache tree, CustomerAccess access, IOptions<AuthOptions> options, TimeProvider clock, ILogger<HubSessions> logger)
    : BackgroundService
{
    public static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, HubSession> _sessions = new();
    private readonly Lock _admitting = new();

    public int Count => _sessions.Count;

    /// <summary>Admits a connection unless its user already holds the maximum here.</summary>
    public bool TryAdmit(HubSession session)
    {
        lock (_admitting)
        {
            if (_sessions.Values.Count(s => s.UserId == session.UserId) >= options.Value.MaxHubConnectionsPerUser)
            {
                return false;
            }

            _sessions[session.ConnectionId] = session;
            return true;
        }
    }

    public void Remove(string connectionId) => _sessions.TryRemove(connectionId, out _);

    /// <summary>The connections here of any of <paramref name="userIds"/>.</summary>
    public IReadOnlyList<string> ConnectionsOf(IReadOnlySet<string> userIds) =>
        userIds.Count == 0 ? [] : _sessions.Values.Where(s => userIds.Contains(s.UserId)).Select(s => s.ConnectionId).ToList();

    /// <summary>Why a connection must close now, or null while its token and access still hold.</summary>
    public static string? CloseReason(HubSession session, OrgMember? member, DateTimeOffset now, TimeSpan clockSkew)
    {
        if (now >= session.ExpiresAt + clockSkew)
        {
            return "token expired";
        }

        if (member is not { Active: true })
        {
            return "user left";
        }

        if (member.SessionVersion > session.SessionVersion)
        {
            return "sessions ended";
        }

        return member.Role != session.Role || member.OrgUnitId != session.OrgUnitId || member.OrgUnitPath != session.OrgUnitPath
            ? "access changed"
            : null;
    }

    /// <summary>Why a connection must close because of a pool it watches, or null while the user still sees them all.</summary>
    private async Task<string?> PoolCloseReasonAsync(HubSession session, OrgMember member)
    {
        // From the silo's caches, not the database: this runs for every connection every second.
        foreach (var poolId in session.WatchedPools.Keys)
        {
            if (!await access.SeesPoolAsync(member, poolId))
            {
                return $"pool {poolId} out of sight";
            }
        }

        return null;
    }

    public async Task SweepAsync()
    {
        var now = clock.GetUtcNow();
        foreach (var session in _sessions.Values)
        {
            var member = await tree.Member(session.UserId);
            // A user that left already has its reason, so the pools are checked for a present member only.
            var reason = CloseReason(session, member, now, options.Value.ClockSkew);
            try
            {
                reason ??= await PoolCloseReasonAsync(session, member!);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A pool that cannot be looked up now (its grain's silo leaving) is looked at again next second; the
                // other connections are still checked.
                logger.LogWarning(e, "Could not check the pools watched by user {UserId}'s live-event connection", session.UserId);
            }

            if (reason is not null)
            {
                logger.LogInformation("Closing the live-event connection of user {UserId}: {Reason}", session.UserId, reason);
                Remove(session.ConnectionId);
                session.Close();
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckEvery, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await SweepAsync();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Could not check the live-event connections; trying again");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
