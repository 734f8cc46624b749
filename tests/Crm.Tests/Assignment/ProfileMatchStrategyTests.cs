using Crm.Sdk;
using static Crm.Tests.Assignment.StrategyKit;

namespace Crm.Tests.Assignment;

public sealed class ProfileMatchStrategyTests
{
    private static readonly IAssignmentStrategy Match = Standard("profile-match");

    private static RepCandidate Profiled(string id, string[]? industries = null, string[]? regions = null, string[]? languages = null,
        int seniority = 0, int owned = 0) =>
        Rep(id, owned) with { Industries = industries ?? [], Regions = regions ?? [], Languages = languages ?? [], Seniority = seniority };

    [Fact]
    public void Profile_match_prefers_the_rep_who_knows_the_industry_and_speaks_the_language()
    {
        var reps = new[]
        {
            Profiled("a", industries: ["manufacturing"]),
            Profiled("b", industries: ["Manufacturing"], languages: ["en"]),
            Profiled("c", languages: ["en"]),
        };

        var decision = Match.Choose(Request(reps, Lead(industry: "manufacturing", language: "en")));

        Assert.Equal("b", decision.RepId);
        Assert.Equal("profile-match: score 5 (industry manufacturing, language en)", decision.Reason);
    }

    [Fact]
    public void Profile_match_breaks_a_tie_by_the_smaller_book_then_by_rep_id()
    {
        var tiedByBook = Match.Choose(Request([Profiled("a", ["retail"], owned: 9), Profiled("b", ["retail"], owned: 4)], Lead(industry: "retail")));
        var tiedById = Match.Choose(Request([Profiled("b", ["retail"], owned: 4), Profiled("a", ["retail"], owned: 4)], Lead(industry: "retail")));

        Assert.Equal("b", tiedByBook.RepId);
        Assert.Equal("a", tiedById.RepId);
        Assert.Contains("2 reps tied", tiedById.Reason);
    }

    [Fact]
    public void Profile_match_finds_the_region_in_the_address_when_the_lead_has_no_region()
    {
        var reps = new[] { Profiled("a", regions: ["Beijing"]), Profiled("b", regions: ["Shanghai"]) };

        var decision = Match.Choose(Request(reps, Lead(address: "88 Century Avenue, Pudong, Shanghai")));

        Assert.Equal("b", decision.RepId);
    }

    [Fact]
    public void Profile_match_gives_key_accounts_to_reps_senior_enough()
    {
        var reps = new[] { Profiled("a", seniority: 1), Profiled("b", seniority: 4) };
        var keyAccount = Lead(fields: new Dictionary<string, string> { ["seniority"] = "3" });

        Assert.Equal("b", Match.Choose(Request(reps, keyAccount)).RepId);
    }

    [Fact]
    public void Profile_match_leaves_the_lead_in_the_pool_below_the_minimum_score()
    {
        var decision = Match.Choose(Request([Profiled("a", ["retail"])], Lead(industry: "mining"), Options(("minScore", "3"))));

        Assert.Null(decision.RepId);
        Assert.Contains("below the minimum 3", decision.Reason);
    }

    [Fact]
    public void Profile_match_gives_the_same_answer_for_the_same_input()
    {
        var reps = Enumerable.Range(0, 50).Select(i => Profiled($"r{i:00}", [i % 3 == 0 ? "retail" : "it"], languages: [i % 2 == 0 ? "zh" : "en"], owned: i % 7)).ToList();
        var lead = Lead(industry: "retail", language: "zh");

        var first = Match.Choose(Request(reps, lead));
        var second = Match.Choose(Request(Enumerable.Reverse(reps), lead));

        Assert.Equal(first, second);
        Assert.Equal("r00", first.RepId);
    }
}
