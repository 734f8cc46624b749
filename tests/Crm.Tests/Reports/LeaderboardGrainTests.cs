using Crm.Client;
using Crm.Grains.Leaderboards;
using Crm.Grains.Push;
using Crm.Server.Api.Leaderboards;
using Crm.Tests.Infrastructure;
using Crm.Tests.Pools;

namespace Crm.Tests.Reports;

/// <summary>
/// The live side of a board on the test cluster (fake clock): the first change is pushed at once, the changes inside
/// the next second wait and go together at its end; and the ranking's tie rule.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LeaderboardGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Changes_within_a_second_of_a_push_are_pushed_together_when_the_second_ends()
    {
        var board = "board-" + Guid.NewGuid().ToString("N");
        var recorder = new PushRecorder(fixture.Grains, LeaderboardBoards.Channel(board));
        await fixture.Grains.GetGrain<IPushChannelGrain>(LeaderboardBoards.Channel(board))
            .Subscribe(fixture.Grains.CreateObjectReference<IPushObserver>(recorder));
        var grain = fixture.Grains.GetGrain<ILeaderboardGrain>(board);

        await grain.Touched(["followUps"]);
        var first = Assert.Single(await recorder.WaitFor<LeaderboardChanged>(1));
        Assert.Equal(board, first.ScopeId);
        Assert.Equal(["followUps"], first.Metrics);

        await grain.Touched(["wonAmount", "dealsWon"]);
        await grain.Touched(["followUps"]);
        await grain.Touched(["dealsWon"]);
        for (var i = 0; i < 500 && (await grain.Pending()).Count < 3; i++)
        {
            await Task.Delay(10); // one-way calls: wait until the grain has them, in real time
        }

        Assert.Equal(["dealsWon", "followUps", "wonAmount"], await grain.Pending());
        Assert.Single(await recorder.Settled<LeaderboardChanged>());

        fixture.Clock.Advance(LeaderboardGrain.Window);
        var pushed = await recorder.WaitFor<LeaderboardChanged>(2);
        Assert.Equal(2, pushed.Count);
        Assert.Equal(["dealsWon", "followUps", "wonAmount"], pushed[1].Metrics);
        Assert.Empty(await grain.Pending());
    }

    [Fact]
    public void Equal_values_share_a_rank_and_the_next_rank_skips()
    {
        var ranked = LeaderboardRanking.Rank([("d", 5m), ("b", 7m), ("a", 5m), ("c", 0m), ("e", 7m)]);
        Assert.Equal([("b", 7m, 1), ("e", 7m, 1), ("a", 5m, 3), ("d", 5m, 3), ("c", 0m, 5)], ranked);
    }
}
