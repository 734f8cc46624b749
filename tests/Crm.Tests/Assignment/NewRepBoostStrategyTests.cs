using Crm.Sdk;
using static Crm.Tests.Assignment.StrategyKit;

namespace Crm.Tests.Assignment;

public sealed class NewRepBoostStrategyTests
{
    private static readonly IAssignmentStrategy Boost = Standard("new-rep-boost");

    private static RepCandidate Newcomer(string id) => Rep(id) with { JoinedAt = Now.AddDays(-10), DealsWon = 0 };

    [Fact]
    public void A_new_rep_gets_twice_the_share_of_todays_leads()
    {
        var reps = new[] { Newcomer("new"), Rep("old-1"), Rep("old-2") };

        var received = Run(Boost, reps, 400, Options(("boost", "2"), ("cap", "1000")));

        // weights 2 : 1 : 1
        Assert.Equal(200, received["new"]);
        Assert.Equal(100, received["old-1"]);
        Assert.Equal(100, received["old-2"]);
    }

    [Fact]
    public void The_boost_ends_when_the_new_rep_reaches_the_cap()
    {
        var reps = new[] { Newcomer("new"), Rep("old-1"), Rep("old-2") };

        var uncapped = Run(Boost, reps, 300, Options(("boost", "3"), ("cap", "1000")));
        var capped = Run(Boost, reps, 300, Options(("boost", "3"), ("cap", "30")));

        // Weights 3 : 1 : 1 while under the cap; once it owns 30 it is a regular rep and the day's shares level out.
        Assert.Equal(180, uncapped["new"]);
        Assert.Equal(100, capped["new"]);
        Assert.Equal(100, capped["old-1"]);
    }

    [Fact]
    public void A_rep_with_enough_deals_and_years_is_not_new()
    {
        var veteran = Rep("a") with { ReceivedToday = 1 };
        var newcomer = Newcomer("b") with { ReceivedToday = 1 };

        var decision = Boost.Choose(Request([veteran, newcomer]));

        Assert.Equal("b", decision.RepId);
        Assert.Contains("new rep boosted x2", decision.Reason);
    }
}
