using Crm.Grains.Dedup;
using Crm.Grains.Pools;
using Crm.Server.Plugins;
using Microsoft.Extensions.Options;

namespace Crm.Tests.Plugins;

/// <summary>
/// The gate's comparison of a lead with its candidates under a rule of two real strategies (a test plugin's and the
/// standard identity keys): the best match per candidate, in candidate order, with the fault of the one that failed.
/// </summary>
public sealed class CandidateMatchingTests : IDisposable
{
    private readonly PluginDirectory _directory = new PluginDirectory().WithStandard().WithTestPlugin("Crm.TestPlugins.Faulty");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Each_candidate_gets_its_best_match_over_the_strategies_and_a_failed_comparison_only_its_fault()
    {
        using var plugins = new InProcessPlugins(_directory, budgetMs: 10_000);
        var gate = new DedupGate(null!, new PluginDedupStrategySource(plugins.Host, plugins.Runner), Options.Create(new DedupOptions()));
        var lead = Leads.Customer("Li Wei", phone: "+86 138 0013 8000", taxId: "91350100M000100Y43");
        var sameNameAndPhone = Leads.Customer("Li Wei", phone: "+86 138 0013 8000"); // strong 1.0 by name beats strong 0.95 by phone
        var unreadableSamePhone = Leads.Customer("!Li Wei", phone: "13800138000"); // the name strategy throws; the phone still matches
        var stranger = Leads.Customer("Wang Fang", phone: "+86 139 0000 0000");
        var sameCreditCode = Leads.Customer("Zhang San", taxId: "91350100M000100Y43"); // exact beats anything strong
        var candidates = new[] { sameNameAndPhone, unreadableSamePhone, stranger, sameCreditCode };
        var rule = new DedupPolicy(["chokes-on-some", "identity-keys"]) { Actions = new Dictionary<string, string> { ["strong"] = "flag" } };
        var faults = new List<StrategyFault>();

        var cards = candidates.ToDictionary(c => Guid.Parse(c.Id));
        var matches = await gate.MatchAsync(lead, candidates.Select(c => Guid.Parse(c.Id)).ToList(), id => cards.GetValueOrDefault(id), rule, faults);

        Assert.Equal(
            [
                (sameNameAndPhone.Id, "chokes-on-some", "strong", 1.0, "flag"),
                (unreadableSamePhone.Id, "identity-keys", "strong", 0.95, "flag"),
                (sameCreditCode.Id, "identity-keys", "exact", 1.0, "block"),
            ],
            matches.Select(m => (m.CustomerId.ToString(), m.Strategy, m.Strength, m.Score, m.Action)));
        var fault = Assert.Single(faults);
        Assert.Equal("chokes-on-some", fault.Strategy);
        Assert.Contains($"cannot read customer {unreadableSamePhone.Id}", fault.Message);
    }
}
