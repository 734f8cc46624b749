using Crm.Client;
using Crm.Grains.Tasks;

namespace Crm.Tests.Tasks;

public sealed class TaskSplitterTests
{
    private static readonly string[] Reps = ["rep-c", "rep-a", "rep-b"];

    [Fact]
    public void Even_gives_in_turn_so_counts_differ_by_one_at_most()
    {
        var customers = Enumerable.Range(0, 10).Select(_ => (Guid.NewGuid(), (string?)null)).ToList();
        var split = TaskSplitter.Split(customers, Reps, TaskSplitModes.Even);
        Assert.Equal(["rep-a", "rep-b", "rep-c"], split.Select(a => a.RepId));
        Assert.Equal([4, 3, 3], split.Select(a => a.CustomerIds.Count));
        Assert.Equal(customers.Select(c => c.Item1).Order(), split.SelectMany(a => a.CustomerIds).Order());
    }

    [Fact]
    public void A_customer_owned_by_one_of_the_reps_stays_with_its_owner()
    {
        var owned = Guid.NewGuid();
        var outsider = Guid.NewGuid();
        var split = TaskSplitter.Split([(owned, "rep-c"), (outsider, "someone-else")], Reps, TaskSplitModes.Even);
        Assert.Contains(owned, split.Single(a => a.RepId == "rep-c").CustomerIds);
        Assert.Contains(outsider, split.Single(a => a.RepId == "rep-a").CustomerIds);
    }

    [Fact]
    public void A_lead_goes_only_to_a_rep_who_may_take_it_the_others_keep_their_turn()
    {
        var leads = Enumerable.Range(0, 4).Select(_ => (Guid.NewGuid(), (string?)null)).ToList();
        var onlyC = new HashSet<string> { "rep-c" };
        var eligible = new Dictionary<Guid, IReadOnlySet<string>> { [leads[0].Item1] = onlyC, [leads[2].Item1] = onlyC };
        var split = TaskSplitter.Split(leads, Reps, TaskSplitModes.Even, eligible: eligible).ToDictionary(a => a.RepId, a => a.CustomerIds);
        // Leads 0 and 2 may only go to rep-c; a and b keep their turns for leads 1 and 3.
        Assert.Equal([leads[0].Item1, leads[2].Item1], split["rep-c"]);
        Assert.Equal([leads[1].Item1], split["rep-a"]);
        Assert.Equal([leads[3].Item1], split["rep-b"]);

        var byCapacity = TaskSplitter.Split(leads, Reps, TaskSplitModes.Capacity, new Dictionary<string, int> { ["rep-c"] = 50 }, eligible);
        Assert.Equal([leads[0].Item1, leads[2].Item1], byCapacity.Single(a => a.RepId == "rep-c").CustomerIds);
    }

    [Fact]
    public void Capacity_fills_the_least_loaded_reps_first()
    {
        var load = new Dictionary<string, int> { ["rep-a"] = 10, ["rep-b"] = 4, ["rep-c"] = 0 };
        var customers = Enumerable.Range(0, 12).Select(_ => (Guid.NewGuid(), (string?)null)).ToList();
        var split = TaskSplitter.Split(customers, Reps, TaskSplitModes.Capacity, load).ToDictionary(a => a.RepId, a => a.CustomerIds.Count);
        // 0+c and 4+b level out at 8 each (8 and 4 customers), then nobody reaches rep-a's 10.
        Assert.Equal(8, split["rep-c"]);
        Assert.Equal(4, split["rep-b"]);
        Assert.False(split.ContainsKey("rep-a"));
    }
}
