namespace Crm.Grains.Push;

/// <summary>Names of push channels, shared by the grains that publish and the hub that subscribes.</summary>
public static class PushChannels
{
    public static string Rep(string repId) => $"rep:{repId}";

    public static string Unit(string orgUnitId) => $"unit:{orgUnitId}";

    /// <summary>
    /// A public pool's channel: who takes a lead out of it or puts one back (claims, assignments, releases, recycles),
    /// so the reps looking at the pool drop or refetch it at once. Joined on request (RepHub.WatchPool), not by default.
    /// </summary>
    public static string Pool(string poolId) => $"pool:{poolId}";
}
