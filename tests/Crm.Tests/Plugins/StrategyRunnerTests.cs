using Crm.Grains.Plugins;
using Crm.Server.Plugins;

namespace Crm.Tests.Plugins;

/// <summary>Misbehaving strategies of a real loaded plugin are contained: fallback answers, the fault is counted.</summary>
public sealed class StrategyRunnerTests : IDisposable
{
    private readonly PluginDirectory _directory = new PluginDirectory().WithStandard().WithTestPlugin("Crm.TestPlugins.Faulty");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Throwing_strategy_falls_back_to_the_pool_fallback_and_the_fault_is_counted()
    {
        using var plugins = new InProcessPlugins(_directory);

        var outcome = await plugins.Runner.ChooseAsync("always-throws", "round-robin", Leads.Request());

        Assert.True(outcome.Succeeded);
        Assert.True(outcome.FellBack);
        Assert.Equal("round-robin", outcome.UsedStrategy);
        Assert.Equal("rep-a", outcome.Value!.RepId);
        Assert.Contains(outcome.Faults, f => f.Contains("scoring service unreachable"));
        var health = plugins.Plugin("Crm.TestPlugins.Faulty").Strategies.Single(s => s.Name == "always-throws");
        Assert.Equal(1, health.Faults);
        Assert.Contains("InvalidOperationException", health.LastFault);
    }

    [Fact]
    public async Task Hanging_strategy_is_cut_at_its_budget_and_the_fallback_answers()
    {
        // The budget also bounds the fallback's first call, so it is not tight on a loaded machine; the strategy blocks
        // far longer, so it is still blocked when the answer comes (no timing assertion here).
        using var plugins = new InProcessPlugins(_directory, budgetMs: 1000);
        var request = Leads.Request(new Dictionary<string, string> { ["hangMs"] = "10000" });

        var outcome = await plugins.Runner.ChooseAsync("hangs", "least-loaded", request);

        Assert.Equal("least-loaded", outcome.UsedStrategy);
        var health = plugins.Plugin("Crm.TestPlugins.Faulty").Strategies.Single(s => s.Name == "hangs");
        Assert.Equal(1, health.Timeouts);
        Assert.Equal(1, health.RunningPastBudget); // the answer came while the hanging call had not returned
        Assert.Contains("time budget of 1000 ms", health.LastFault);
    }

    [Fact]
    public async Task Strategy_stuck_past_its_budget_too_often_is_skipped_until_its_calls_return()
    {
        using var plugins = new InProcessPlugins(_directory, budgetMs: 1000, maxCallsPastBudget: 1);
        var request = Leads.Request(new Dictionary<string, string> { ["hangMs"] = "10000" });
        await plugins.Runner.ChooseAsync("hangs", "round-robin", request);

        var skipped = await plugins.Runner.ChooseAsync("hangs", "round-robin", request);

        Assert.Equal("round-robin", skipped.UsedStrategy);
        Assert.Equal("hangs: skipped, 1 calls still running past their time budget", Assert.Single(skipped.Faults));
        var health = plugins.Plugin("Crm.TestPlugins.Faulty").Strategies.Single(s => s.Name == "hangs");
        Assert.Equal((1L, 1L, 2L), (health.Calls, health.Timeouts, health.Faults)); // the stuck strategy was not called again
    }

    [Fact]
    public async Task Strategy_choosing_a_rep_who_is_not_a_candidate_is_a_fault()
    {
        using var plugins = new InProcessPlugins(_directory);

        var outcome = await plugins.Runner.ChooseAsync("picks-stranger", "least-loaded", Leads.Request());

        Assert.Equal("least-loaded", outcome.UsedStrategy);
        Assert.Contains(outcome.Faults, f => f.Contains("'nobody-we-know', who is not a candidate"));
    }

    [Fact]
    public async Task Dedup_strategy_failing_while_its_keys_are_enumerated_falls_back_to_identity_keys()
    {
        // A generous budget: the fallback's first call loads its phone metadata.
        using var plugins = new InProcessPlugins(_directory, budgetMs: 10_000);

        var keys = await plugins.Runner.KeysAsync("throwing-keys", "identity-keys", Leads.Customer("Li Wei", phone: "+86 138 0013 8000"));

        Assert.True("identity-keys" == keys.UsedStrategy, string.Join(" | ", keys.Faults));
        Assert.Equal([new Sdk.BlockingKey("phone", "+8613800138000")], keys.Value);
        Assert.Equal(1, plugins.Plugin("Crm.TestPlugins.Faulty").Strategies.Single(s => s.Name == "throwing-keys").Faults);
    }

    [Fact]
    public async Task A_lead_compared_with_its_candidates_in_one_call_answers_each_of_them()
    {
        using var plugins = new InProcessPlugins(_directory, budgetMs: 10_000);
        var source = new PluginDedupStrategySource(plugins.Host, plugins.Runner);
        var candidates = new[] { Leads.Customer("Li Wei"), Leads.Customer("Wang Fang"), Leads.Customer("Li Wei") };

        var answers = await source.CompareManyAsync("chokes-on-some", Leads.Customer("Li Wei"), candidates);

        Assert.Equal([true, false, true], answers.Select(a => a.Value is not null));
        Assert.All(answers, a => Assert.Null(a.Fault));
        Assert.Equal(1, plugins.Plugin("Crm.TestPlugins.Faulty").Strategies.Single(s => s.Name == "chokes-on-some").Calls);
    }

    [Fact]
    public async Task A_comparison_that_throws_costs_only_its_own_candidates_answer()
    {
        using var plugins = new InProcessPlugins(_directory, budgetMs: 10_000);
        var source = new PluginDedupStrategySource(plugins.Host, plugins.Runner);
        var unreadable = Leads.Customer("!Li Wei");
        var candidates = new[] { Leads.Customer("Li Wei"), unreadable, Leads.Customer("Wang Fang"), Leads.Customer("Li Wei") };

        var answers = await source.CompareManyAsync("chokes-on-some", Leads.Customer("Li Wei"), candidates);

        Assert.Equal([true, false, false, true], answers.Select(a => a.Value is not null));
        Assert.Equal([false, true, false, false], answers.Select(a => a.Failed));
        Assert.Contains($"cannot read customer {unreadable.Id}", answers[1].Fault);
        // One call for the four; the throw is the fault of its own comparison only.
        var health = plugins.Plugin("Crm.TestPlugins.Faulty").Strategies.Single(s => s.Name == "chokes-on-some");
        Assert.Equal((1L, 1L), (health.Calls, health.Faults));
    }

    [Fact]
    public async Task A_lead_with_many_candidates_is_compared_a_call_per_few_dozen()
    {
        using var plugins = new InProcessPlugins(_directory, budgetMs: 10_000);
        var source = new PluginDedupStrategySource(plugins.Host, plugins.Runner);
        var candidates = Enumerable.Range(0, StrategyRunner.ComparisonsPerCall * 2 + 1)
            .Select(i => Leads.Customer(i % 10 == 0 ? "Li Wei" : $"Other {i}")).ToList();

        var answers = await source.CompareManyAsync("chokes-on-some", Leads.Customer("Li Wei"), candidates);

        Assert.Equal(candidates.Select(c => c.Name == "Li Wei"), answers.Select(a => a.Value is not null));
        Assert.Equal(3, plugins.Plugin("Crm.TestPlugins.Faulty").Strategies.Single(s => s.Name == "chokes-on-some").Calls);
    }

    [Fact]
    public async Task A_batch_is_keyed_a_call_per_few_dozen_and_a_throw_costs_only_its_own_customers_keys()
    {
        using var plugins = new InProcessPlugins(_directory, budgetMs: 10_000);
        var source = new PluginDedupStrategySource(plugins.Host, plugins.Runner);
        var customers = Enumerable.Range(0, StrategyRunner.ComparisonsPerCall * 2 + 1)
            .Select(i => Leads.Customer(i == 30 ? "?Unreadable" : $"Customer {i}")).ToList();

        var answers = await source.KeysManyAsync("chokes-on-some", customers);

        Assert.Equal(customers.Select(c => c.Name.StartsWith('?') ? null : c.Name), answers.Select(a => a.Value.SingleOrDefault()?.Value));
        Assert.Equal(customers.Select(c => c.Name.StartsWith('?')), answers.Select(a => a.Failed));
        Assert.Contains($"cannot key customer {customers[30].Id}", answers[30].Fault);
        var health = plugins.Plugin("Crm.TestPlugins.Faulty").Strategies.Single(s => s.Name == "chokes-on-some");
        Assert.Equal((3L, 1L), (health.Calls, health.Faults));
    }

    [Fact]
    public async Task Dedup_strategy_giving_a_customer_too_many_keys_is_a_fault_and_none_of_them_is_kept()
    {
        using var plugins = new InProcessPlugins(_directory, budgetMs: 10_000);
        var source = new PluginDedupStrategySource(plugins.Host, plugins.Runner);

        var answer = Assert.Single(await source.KeysManyAsync("many-keys", [Leads.Customer("Li Wei")]));
        var fellBack = await plugins.Runner.KeysAsync("many-keys", "identity-keys", Leads.Customer("Li Wei", email: "li@acme.cn"));

        Assert.True(answer.Failed);
        Assert.Empty(answer.Value);
        Assert.Contains($"more than {StrategyAnswerLimits.MaxKeysPerCustomer} blocking keys", answer.Fault);
        Assert.Equal("identity-keys", fellBack.UsedStrategy);
        Assert.Equal([new Sdk.BlockingKey("email", "li@acme.cn")], fellBack.Value);
        Assert.Equal(2, plugins.Plugin("Crm.TestPlugins.Faulty").Strategies.Single(s => s.Name == "many-keys").Faults);
    }

    [Fact]
    public async Task Dedup_strategy_answering_an_oversized_key_is_a_fault_in_keys_and_in_comparisons()
    {
        using var plugins = new InProcessPlugins(_directory, budgetMs: 10_000);
        var source = new PluginDedupStrategySource(plugins.Host, plugins.Runner);

        var keys = Assert.Single(await source.KeysManyAsync("long-key", [Leads.Customer("Li Wei")]));
        var match = Assert.Single(await source.CompareManyAsync("long-key", Leads.Customer("Li Wei"), [Leads.Customer("Li Wei")]));

        Assert.True(keys.Failed);
        Assert.Empty(keys.Value);
        Assert.Contains($"longer than {StrategyAnswerLimits.MaxKeyValueLength} characters", keys.Fault);
        Assert.True(match.Failed);
        Assert.Null(match.Value);
        Assert.Equal(2, plugins.Plugin("Crm.TestPlugins.Faulty").Strategies.Single(s => s.Name == "long-key").Faults);
    }

    [Theory]
    [InlineData("big-state", "strategy state of 1000000 characters")]
    [InlineData("long-reason", "reason of 100000 characters")]
    public async Task Assignment_strategy_answering_oversized_state_or_reason_falls_back_and_the_fault_is_counted(string strategy, string fault)
    {
        using var plugins = new InProcessPlugins(_directory);

        var outcome = await plugins.Runner.ChooseAsync(strategy, "least-loaded", Leads.Request(state: "cursor"));

        Assert.True(outcome.FellBack);
        Assert.Equal("least-loaded", outcome.UsedStrategy);
        Assert.Null(outcome.Value!.StrategyState);
        Assert.Contains(outcome.Faults, f => f.Contains(fault));
        Assert.Equal(1, plugins.Plugin("Crm.TestPlugins.Faulty").Strategies.Single(s => s.Name == strategy).Faults);
    }

    [Fact]
    public async Task Without_a_fallback_a_failed_strategy_answers_no_decision_and_says_why()
    {
        using var plugins = new InProcessPlugins(_directory);

        var outcome = await plugins.Runner.ChooseAsync("always-throws", null, Leads.Request());

        Assert.False(outcome.Succeeded);
        Assert.Null(outcome.Value);
        Assert.Single(outcome.Faults);
    }

    [Fact]
    public async Task Unknown_strategy_falls_back_with_the_reason()
    {
        using var plugins = new InProcessPlugins(_directory);

        var outcome = await plugins.Runner.ChooseAsync("not-installed", "round-robin", Leads.Request());

        Assert.Equal("round-robin", outcome.UsedStrategy);
        Assert.Contains(outcome.Faults, f => f.Contains("no loaded plugin offers this strategy"));
    }
}
