using Crm.Client;
using Crm.Grains.Customers;
using Crm.Tests.Infrastructure;
using Crm.Tests.Pools;

namespace Crm.Tests.Customers;

/// <summary>
/// The history entry a follow-up answers is the one its timeline shows, position (the paging cursor) included; also when
/// the same request is sent again (a silo left mid-call) and the grain answers the follow-up it already recorded.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class FollowUpPositionTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_follow_up_and_its_retry_answer_the_position_the_timeline_shows()
    {
        var world = await PoolWorld.CreateAsync(fixture.Grains, new Crm.Grains.Pools.PoolRuleSet());
        var rep = PoolWorld.NewRepId();
        var customer = await world.ClaimedByAsync(rep);
        var request = new NewFollowUp(FollowUpType.Call, "reached", "about the quote") with { RequestId = Guid.NewGuid() };

        var added = await customer.AddFollowUp(request, PoolWorld.Rep(rep));
        var again = await customer.AddFollowUp(request, PoolWorld.Rep(rep));

        Assert.True(added.Ok, added.Error?.Message);
        var entry = Assert.Single((await customer.HistoryAsync())!, e => e.Kind == TimelineKinds.FollowUp);
        Assert.Equal((entry.Seq, entry.Position), (added.Value!.Seq, added.Value.Position));
        Assert.Equal((entry.Seq, entry.Position), (again.Value!.Seq, again.Value.Position));
        Assert.True(entry.Position > 0);
    }
}
