using Crm.Grains.Outbox;

namespace Crm.Grains.Leaderboards;

/// <summary>
/// After a commit that moved a rep's metrics: the boards the rep appears on hear which metrics moved (looked up in the
/// org tree when delivered). Delivering it twice only pushes a board's hint again.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TouchLeaderboards(
    [property: Id(0)] string RepId,
    [property: Id(1)] IReadOnlyList<string> Metrics) : OutboxEffect
{
    public static IEnumerable<OutboxEffect> Of(IEnumerable<Customers.Events.CustomerEvent> events) =>
        LeaderboardBoards.Touched(events).Select(kv => new TouchLeaderboards(kv.Key, kv.Value));

    /// <summary>The hints of many commits as one per rep, its metrics united (in order): what the boards would add up anyway.</summary>
    public static IEnumerable<TouchLeaderboards> Merge(IEnumerable<TouchLeaderboards> touches) =>
        touches.GroupBy(t => t.RepId, StringComparer.Ordinal)
            .Select(rep => new TouchLeaderboards(rep.Key, rep.SelectMany(t => t.Metrics).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList()));

    public async Task DeliverAsync(IGrainFactory grains, Org.OrgTreeCache tree)
    {
        foreach (var board in LeaderboardBoards.Of(await tree.Member(RepId)))
        {
            await grains.GetGrain<ILeaderboardGrain>(board).Touched(Metrics);
        }
    }
}
