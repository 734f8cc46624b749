using static Crm.Tests.Assignment.StrategyKit;

namespace Crm.Tests.Assignment;

public sealed class RoundRobinAndLeastLoadedTests
{
    [Fact]
    public void Round_robin_takes_turns_in_rep_id_order_and_wraps()
    {
        var strategy = Standard("round-robin");
        var reps = new[] { Rep("c"), Rep("a"), Rep("b") };
        var chosen = new List<string>();
        string? state = null;
        for (var i = 0; i < 5; i++)
        {
            var decision = strategy.Choose(Request(reps, state: state));
            chosen.Add(decision.RepId!);
            state = decision.StrategyState;
        }

        Assert.Equal(["a", "b", "c", "a", "b"], chosen);
    }

    [Fact]
    public void Round_robin_skips_reps_that_are_full_or_off_duty()
    {
        var decision = Standard("round-robin").Choose(Request([Rep("a", owned: 5, capacity: 5), Rep("b", active: false), Rep("c")], state: null));

        Assert.Equal("c", decision.RepId);
    }

    [Fact]
    public void Round_robin_spread_over_10k_leads_is_at_most_one()
    {
        var reps = Enumerable.Range(1, 37).Select(i => Rep($"rep-{i:000}"));

        var received = Run(Standard("round-robin"), reps, 10_000);

        Assert.Equal(10_000, received.Values.Sum());
        Assert.True(Spread(received.Values) <= 1, $"spread {Spread(received.Values)}");
    }

    [Fact]
    public void Least_loaded_gives_the_lead_to_the_smallest_book()
    {
        var decision = Standard("least-loaded").Choose(Request([Rep("a", owned: 7), Rep("b", owned: 3), Rep("c", owned: 3)]));

        Assert.Equal("b", decision.RepId);
    }

    [Fact]
    public void Least_loaded_converges_from_uneven_books_over_10k_leads()
    {
        var start = new[] { Rep("a", owned: 0), Rep("b", owned: 400), Rep("c", owned: 1200), Rep("d", owned: 2500) };

        var received = Run(Standard("least-loaded"), start, 10_000);

        var books = start.Select(r => r.OwnedCount + received[r.RepId]).ToList();
        Assert.True(Spread(books) <= 1, $"books after: {string.Join(", ", books)}");
        Assert.Equal(1025, received["d"]); // 14,100 customers over four reps: 3,525 each
    }
}
