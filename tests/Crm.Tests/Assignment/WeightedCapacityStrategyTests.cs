using Crm.Sdk;
using static Crm.Tests.Assignment.StrategyKit;

namespace Crm.Tests.Assignment;

public sealed class WeightedCapacityStrategyTests
{
    private static readonly IAssignmentStrategy Weighted = Standard("weighted");

    [Fact]
    public void Weighted_gives_the_lead_to_the_rep_furthest_below_its_share()
    {
        // a: 10 of 100 -> next share 0.11; b: 3 of 20 -> 0.2
        var decision = Weighted.Choose(Request([Rep("a", owned: 10, capacity: 100), Rep("b", owned: 3, capacity: 20)]));

        Assert.Equal("a", decision.RepId);
        Assert.StartsWith("weighted:", decision.Reason);
    }

    [Fact]
    public void Weighted_shares_10k_leads_in_proportion_to_capacity_within_one_percent()
    {
        var reps = new[] { Rep("a", capacity: 1000), Rep("b", capacity: 2000), Rep("c", capacity: 3000), Rep("d", capacity: 4000) };

        var received = Run(Weighted, reps, 10_000);

        foreach (var rep in reps)
        {
            var expected = 10_000.0 * rep.Capacity!.Value / 10_000;
            Assert.InRange(received[rep.RepId], expected * 0.99, expected * 1.01);
        }
    }

    [Fact]
    public void Weighted_reads_the_weight_from_a_profile_attribute_when_the_pool_names_one()
    {
        var heavy = Rep("a", owned: 30) with { Attributes = new Dictionary<string, string> { ["quota"] = "3" } };
        var light = Rep("b", owned: 9) with { Attributes = new Dictionary<string, string> { ["quota"] = "1" } };

        // a: 31/3 = 10.3 ; b: 10/1 = 10 -> b
        var decision = Weighted.Choose(Request([heavy, light], options: Options(("weightAttribute", "quota"))));

        Assert.Equal("b", decision.RepId);
    }

    [Fact]
    public void Weighted_never_chooses_a_full_rep_and_answers_nobody_when_all_are_full()
    {
        var decision = Weighted.Choose(Request([Rep("a", owned: 5, capacity: 5), Rep("b", owned: 2, capacity: 2)]));

        Assert.Null(decision.RepId);
        Assert.Contains("free capacity", decision.Reason);
    }

    [Fact]
    public void Weighted_refuses_unknown_and_out_of_range_options()
    {
        var errors = ((IAssignmentOptionsValidator)Weighted).ValidateOptions(Options(("defaultWeight", "-1"), ("wieght", "2")));

        Assert.Contains("defaultWeight", errors.Keys);
        Assert.Contains("wieght", errors.Keys);
    }
}
