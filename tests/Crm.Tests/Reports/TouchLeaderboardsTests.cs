using Crm.Grains.Leaderboards;

namespace Crm.Tests.Reports;

/// <summary>An import's leaderboard hints, one per customer, are delivered as one per rep with every metric that moved.</summary>
public sealed class TouchLeaderboardsTests
{
    [Fact]
    public void Hints_of_many_commits_become_one_per_rep_with_the_metrics_united()
    {
        TouchLeaderboards[] hints =
        [
            new("rep-a", ["newCustomers"]),
            new("rep-b", ["followUps"]),
            new("rep-a", ["newCustomers"]),
            new("rep-a", ["wonAmount", "newCustomers"]),
            new("Rep-A", ["followUps"]), // another user: rep ids are compared exactly
        ];

        var merged = TouchLeaderboards.Merge(hints).ToDictionary(t => t.RepId, t => t.Metrics);

        Assert.Equal(3, merged.Count);
        Assert.Equal(["newCustomers", "wonAmount"], merged["rep-a"]);
        Assert.Equal(["followUps"], merged["rep-b"]);
        Assert.Equal(["followUps"], merged["Rep-A"]);
        Assert.Empty(TouchLeaderboards.Merge([]));
    }
}
