using Crm.Grains.Org;

namespace Crm.Grains.Push;

/// <summary>Names of push channels, shared by the grains that publish and the hub that subscribes.</summary>
public static class PushChannels
{
    private const string RepPrefix = "rep:";
    private const string UnitPrefix = "unit:";

    public static string Rep(string repId) => RepPrefix + repId;

    public static string Unit(string orgUnitId) => UnitPrefix + orgUnitId;

    /// <summary>
    /// A public pool's channel: who takes a lead out of it or puts one back (claims, assignments, releases, recycles),
    /// so the reps looking at the pool drop or refetch it at once. Joined on request (RepHub.WatchPool), not by default;
    /// live only, never kept in anyone's message center.
    /// </summary>
    public static string Pool(string poolId) => PoolPrefix + poolId;

    public static bool IsPool(string channel) => channel.StartsWith(PoolPrefix, StringComparison.Ordinal);

    private const string PoolPrefix = "pool:";

    /// <summary>The SignalR group of a user's connections that resumed from a last seen id (numbered notifications).</summary>
    public static string Inbox(string userId) => $"inbox:{userId}";

    /// <summary>The user of a rep channel; null for any other channel.</summary>
    public static string? UserOf(string channel) => channel.StartsWith(RepPrefix, StringComparison.Ordinal) ? channel[RepPrefix.Length..] : null;

    /// <summary>The users whose message centers a channel's messages go to (none for a pool channel).</summary>
    public static async ValueTask<IReadOnlyList<string>> RecipientsAsync(string channel, OrgTreeCache tree) =>
        channel.StartsWith(RepPrefix, StringComparison.Ordinal) ? [channel[RepPrefix.Length..]]
        : channel.StartsWith(UnitPrefix, StringComparison.Ordinal) ? await tree.WatchersOf(channel[UnitPrefix.Length..])
        : [];
}
