using Crm.Sdk;
using static Crm.Tests.Assignment.StrategyKit;

namespace Crm.Tests.Assignment;

public sealed class CompositeStrategyTests
{
    private static readonly IAssignmentStrategy Composite = Standard("composite");

    private static readonly RepCandidate[] Team =
    [
        Rep("a") with { Industries = ["retail"], Languages = ["zh"] },
        Rep("b") with { Industries = ["retail"], Languages = ["en"] },
        Rep("c") with { Industries = ["retail"], Languages = ["en"] },
        Rep("d") with { Industries = ["mining"], Languages = ["en"] },
    ];

    [Fact]
    public void Composite_filters_by_industry_then_language_and_lets_round_robin_pick()
    {
        var options = Options(("filters", "industry,language"), ("picker", "round-robin"));

        var received = Run(Composite, Team, 10, options, _ => Lead(industry: "retail", language: "en"));

        Assert.Equal(new Dictionary<string, int> { ["a"] = 0, ["b"] = 5, ["c"] = 5, ["d"] = 0 }, received);
    }

    [Fact]
    public void Composite_relaxes_a_filter_nobody_passes_and_says_so()
    {
        var decision = Composite.Choose(Request(Team, Lead(industry: "shipping", language: "zh"),
            Options(("filters", "industry,language"), ("picker", "least-loaded"))));

        Assert.Equal("a", decision.RepId);
        Assert.StartsWith("composite after industry relaxed, language 1:", decision.Reason);
    }

    [Fact]
    public void A_strict_composite_leaves_the_lead_in_the_pool_when_a_filter_matches_nobody()
    {
        var decision = Composite.Choose(Request(Team, Lead(industry: "shipping"),
            Options(("filters", "industry"), ("strict", "true"))));

        Assert.Null(decision.RepId);
        Assert.Equal("composite: no rep passes the industry filter", decision.Reason);
    }

    [Fact]
    public void Composite_passes_options_on_to_its_picker_and_refuses_unknown_ones()
    {
        var validator = (IAssignmentOptionsValidator)Composite;

        Assert.Empty(validator.ValidateOptions(Options(("filters", "region"), ("picker", "weighted"), ("defaultWeight", "5"), ("units", "x=y"))));
        var errors = validator.ValidateOptions(Options(("filters", "colour"), ("picker", "coin-toss"), ("minScore", "2")));
        Assert.Equal(["filters", "minScore", "picker"], errors.Keys.Order());
    }
}
