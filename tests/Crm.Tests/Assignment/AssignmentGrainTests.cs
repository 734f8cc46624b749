using Crm.Grains.Common;
using Crm.Server.Api.Assignment;
using Crm.Grains.Pools;
using Crm.Client;
using Crm.Grains.Assignment;
using Crm.Grains.Customers;
using Crm.Grains.Reps;
using Crm.Sdk;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Assignment;

/// <summary>Automatic assignment on an Orleans test cluster over SQLite, with strategies loaded from plugin folders.</summary>
[Collection(ClusterCollection.Name)]
public sealed class AssignmentGrainTests(ClusterFixture fixture)
{
    private static AssignmentSettings Rule(string strategy, string? fallback = null, string? mode = null, int? batch = null,
        Dictionary<string, string>? options = null) => new(strategy, options, mode, fallback, batch);

    private ICustomerGrain Customer(Guid id) => fixture.Grains.GetGrain<ICustomerGrain>(id);

    [Fact]
    public async Task New_leads_are_assigned_in_turn_and_the_turn_survives_reactivation()
    {
        var team = await AssignmentTeam.CreateAsync(fixture, 3);
        var pool = await team.PoolAsync(Rule("round-robin"));

        var first = new List<string?>();
        for (var i = 0; i < 4; i++)
        {
            first.Add((await team.LeadAsync(pool)).OwnerId);
        }

        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var afterReactivation = (await team.LeadAsync(pool)).OwnerId;

        Assert.Equal([team.Reps[0], team.Reps[1], team.Reps[2], team.Reps[0]], first);
        Assert.Equal(team.Reps[1], afterReactivation);
    }

    [Fact]
    public async Task The_timeline_records_the_strategy_and_its_reason()
    {
        var team = await AssignmentTeam.CreateAsync(fixture, 2);
        var pool = await team.PoolAsync(Rule("least-loaded"));

        var lead = await team.LeadAsync(pool);

        var entry = (await Customer(lead.Id).HistoryAsync())!.Last();
        Assert.Equal(TimelineKinds.Assigned, entry.Kind);
        Assert.Equal("least-loaded", entry.Data["strategy"]);
        // The creation hook's one-way call is queued on the pool's assignment grain before Create returns, so it assigns
        // the lead and the test's own AssignNow then finds it owned.
        Assert.Equal("created", entry.Data["trigger"]);
        Assert.Equal("least loaded (0 owned)", entry.Reason);
        Assert.Equal("system", entry.ActorId);
    }

    [Fact]
    public async Task A_lead_no_rep_can_take_stays_in_the_pool_with_the_reason()
    {
        var team = await AssignmentTeam.CreateAsync(fixture, 2);
        var pool = await team.PoolAsync(Rule("round-robin"), capacity: 1);

        var a = await team.LeadAsync(pool);
        var b = await team.LeadAsync(pool);
        var c = await team.LeadAsync(pool);

        Assert.NotNull(a.OwnerId);
        Assert.NotNull(b.OwnerId);
        Assert.Null(c.OwnerId);
        var waiting = Assert.Single((await team.Assignment(pool).GetStatus()).Unassigned);
        Assert.Equal(c.Id, waiting.CustomerId);
        Assert.Equal("no active rep has room", waiting.Reason);
    }

    [Fact]
    public async Task Off_duty_reps_receive_no_leads()
    {
        var team = await AssignmentTeam.CreateAsync(fixture, 3);
        await team.SetProfileAsync(team.Reps[0], new RepProfileRequest(OnDuty: false));
        await team.SetProfileAsync(team.Reps[2], new RepProfileRequest(Active: false));
        var pool = await team.PoolAsync(Rule("round-robin"));

        var owners = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            owners.Add((await team.LeadAsync(pool)).OwnerId);
        }

        Assert.All(owners, o => Assert.Equal(team.Reps[1], o));
    }

    [Fact]
    public async Task A_released_lead_never_goes_back_to_the_rep_its_protection_blocks()
    {
        var team = await AssignmentTeam.CreateAsync(fixture, 2);
        var pool = await team.PoolAsync(Rule("least-loaded"), protectionDays: 7);
        var lead = await team.LeadAsync(pool);
        var first = lead.OwnerId!;

        await Customer(lead.Id).Release("no budget this year", new(first, UserRole.Rep, team.OrgUnitId));
        await team.Assignment(pool).AssignNow(lead.Id, "test");

        Assert.Equal(team.Reps.Single(r => r != first), (await Customer(lead.Id).Get())!.OwnerId);
    }

    [Fact]
    public async Task A_recycled_customer_is_assigned_again_but_not_to_the_rep_who_lost_it()
    {
        var team = await AssignmentTeam.CreateAsync(fixture, 2);
        var pool = await team.PoolAsync(Rule("round-robin"), protectionDays: 30, recycleDays: 10);
        // The pool's reconcile sweep (a reminder every 5 minutes from its creation, on the fake clock) must not be due
        // when the lead drops, or it races the recycle hook: the lead's deadline falls between two of its ticks.
        fixture.Clock.Advance(TimeSpan.FromMinutes(2.5));
        var lead = await team.LeadAsync(pool);
        var lost = lead.OwnerId!;

        fixture.Clock.Advance(TimeSpan.FromDays(10) - TimeSpan.FromMinutes(1)); // the sweep ticks and finds the lead owned
        await team.Assignment(pool).GetStatus(); // queued behind that tick
        fixture.Clock.Advance(TimeSpan.FromMinutes(1)); // the deadline; the pool's next tick is 2.5 minutes away
        await fixture.Grains.GetGrain<IRepGrain>(lost).SweepNow();
        // The rep's own timer may sweep at the same time: whichever recycles the lead, the recycle hook (one-way)
        // assigns it. Wait for that assignment, the positive signal, rather than racing it with a call of our own.
        var timeline = await TimelineEventuallyAsync(lead.Id, t => t.Any(e => e.Kind == TimelineKinds.Recycled) && t[^1].Kind == TimelineKinds.Assigned);

        var entry = timeline[^1];
        Assert.True(team.Reps.Single(r => r != lost) == (await Customer(lead.Id).Get())!.OwnerId,
            string.Join("\n", timeline.Select(e => $"{e.Kind} {e.Reason} {string.Join(",", e.Data.Select(d => d.Key + "=" + d.Value))}")));
        Assert.Equal("recycled", entry.Data["trigger"]);
    }

    [Fact]
    public async Task Customers_recycled_and_assigned_straight_back_to_their_rep_stay_on_its_recycle_clock()
    {
        // A team of one without reclaim protection: every customer that drops comes straight back to the same rep,
        // while that rep's sweep is still settling the others it asked to recycle.
        var team = await AssignmentTeam.CreateAsync(fixture, 1);
        var pool = await team.PoolAsync(Rule("round-robin"), recycleDays: 2);
        var rep = fixture.Grains.GetGrain<IRepGrain>(team.Reps[0]);
        var leads = new List<Guid>();
        for (var i = 0; i < 8; i++)
        {
            leads.Add((await team.LeadAsync(pool, $"Lead {i}")).Id);
        }

        fixture.Clock.Advance(TimeSpan.FromDays(2));
        await rep.SweepNow();
        foreach (var id in leads)
        {
            await TimelineEventuallyAsync(id, t => t.Any(e => e.Kind == TimelineKinds.Recycled) && t[^1].Kind == TimelineKinds.Assigned);
        }

        // What GET /api/reps/{id}/due shows: each of them drops again two days after it came back.
        var due = await rep.GetDue(3);
        Assert.Equal(leads.Order(), due.Select(d => d.CustomerId).Order());
        Assert.Equal(leads.Order(), (await rep.GetOwned()).Select(o => o.CustomerId).Order());
    }

    [Fact]
    public async Task A_lead_whose_only_rep_is_protected_stays_in_the_pool()
    {
        var team = await AssignmentTeam.CreateAsync(fixture, 1);
        var pool = await team.PoolAsync(Rule("round-robin"), protectionDays: 7);
        var lead = await team.LeadAsync(pool);

        await Customer(lead.Id).Release("wrong contact", new(lead.OwnerId!, UserRole.Rep, team.OrgUnitId));
        var attempt = await team.Assignment(pool).AssignNow(lead.Id, "test");

        Assert.Equal(AssignmentAttempt.Unassigned, attempt.Outcome);
        Assert.Equal("every rep on duty is blocked by reclaim protection", attempt.Reason);
        Assert.Null((await Customer(lead.Id).Get())!.OwnerId);
    }

    [Fact]
    public async Task A_throwing_strategy_falls_back_and_the_fault_is_visible()
    {
        var team = await AssignmentTeam.CreateAsync(fixture, 2);
        var pool = await team.PoolAsync(Rule("always-throws", fallback: "round-robin"));

        var lead = await team.LeadAsync(pool);

        Assert.Equal(team.Reps[0], lead.OwnerId);
        var entry = (await Customer(lead.Id).HistoryAsync())!.Last();
        Assert.Equal("round-robin", entry.Data["strategy"]);
        Assert.Equal("true", entry.Data["fellBack"]);
        Assert.Equal("round-robin turn (fallback: always-throws failed)", entry.Reason);
        var status = await team.Assignment(pool).GetStatus();
        Assert.Equal(1, status.FellBack);
        Assert.Contains("scoring service unreachable", status.LastFault);
    }

    [Fact]
    public async Task A_strategy_past_its_time_budget_is_replaced_by_the_fallback()
    {
        var team = await AssignmentTeam.CreateAsync(fixture, 2);
        var pool = await team.PoolAsync(Rule("hangs", fallback: "least-loaded", options: new() { ["hangMs"] = "1500" }));

        var lead = await team.LeadAsync(pool);

        Assert.Equal(team.Reps[0], lead.OwnerId);
        Assert.Contains("exceeded its time budget", (await team.Assignment(pool).GetStatus()).LastFault);
    }

    [Fact]
    public async Task A_third_party_strategy_is_used_by_name()
    {
        var team = await AssignmentTeam.CreateAsync(fixture, 3);
        await team.SetProfileAsync(team.Reps[1], new RepProfileRequest(Seniority: 5));
        var pool = await team.PoolAsync(Rule("senior-first"));

        var lead = await team.LeadAsync(pool);

        Assert.Equal(team.Reps[1], lead.OwnerId);
        Assert.Equal("most senior (level 5)", (await Customer(lead.Id).HistoryAsync())!.Last().Reason);
    }

    [Fact]
    public async Task Profile_match_reads_the_reps_profiles()
    {
        var team = await AssignmentTeam.CreateAsync(fixture, 3);
        await team.SetProfileAsync(team.Reps[0], new RepProfileRequest(Industries: ["retail"]));
        await team.SetProfileAsync(team.Reps[2], new RepProfileRequest(Industries: ["machinery"], Languages: ["de"]));
        var pool = await team.PoolAsync(Rule("profile-match"));

        var lead = await team.LeadAsync(pool, industry: "Machinery", language: "de");

        Assert.Equal(team.Reps[2], lead.OwnerId);
        Assert.Equal("profile-match: score 5 (industry Machinery, language de)", (await Customer(lead.Id).HistoryAsync())!.Last().Reason);
    }

    [Fact]
    public async Task A_batch_pool_assigns_when_its_batch_runs_and_a_manual_pool_never_does()
    {
        var team = await AssignmentTeam.CreateAsync(fixture, 2);
        var batch = await team.PoolAsync(Rule("round-robin", mode: "batch", batch: 15));
        var manual = await team.PoolAsync(Rule("round-robin", mode: "manual-claim"));
        var queued = await NewLeadAsync(batch);
        var unclaimed = await NewLeadAsync(manual);
        await team.Assignment(batch).LeadEntered(queued, "created");

        var before = (await Customer(queued).Get())!.OwnerId;
        var summary = await team.Assignment(batch).RunBatch();
        var manualSummary = await team.Assignment(manual).RunBatch();

        Assert.Null(before);
        Assert.Equal(new BatchSummary(1, 1, 0), summary);
        Assert.Equal(team.Reps[0], (await Customer(queued).Get())!.OwnerId);
        Assert.Equal(new BatchSummary(0, 0, 0), manualSummary);
        Assert.Null((await Customer(unclaimed).Get())!.OwnerId);
    }

    [Fact]
    public async Task A_dry_run_answers_who_would_get_what_and_changes_nothing()
    {
        var team = await AssignmentTeam.CreateAsync(fixture, 3);
        var pool = await team.PoolAsync(Rule("round-robin", mode: "manual-claim"));
        var waiting = await NewLeadAsync(pool);
        var leads = Enumerable.Range(1, 10).Select(i => new LeadCard($"L{i}", $"Lead {i}")).ToList();

        var given = await team.Assignment(pool).Simulate("round-robin", new Dictionary<string, string>(), leads, null);
        var lastWeek = await team.Assignment(pool).Simulate("least-loaded", new Dictionary<string, string>(), null, 7);

        Assert.Equal([4, 3, 3], given.Distribution.Select(d => d.Received));
        Assert.Equal(1, given.ToWire().Spread);
        Assert.Equal(team.Reps[0], given.Decisions[9].RepId);
        Assert.Equal(waiting.ToString(), Assert.Single(lastWeek.Decisions).LeadId);
        Assert.Null((await Customer(waiting).Get())!.OwnerId);
        foreach (var rep in team.Reps)
        {
            Assert.Equal(0, await team.OwnedAsync(rep));
        }
    }

    [Fact]
    public async Task Leads_assigned_concurrently_from_three_pools_never_exceed_a_reps_capacity()
    {
        const int capacity = 4;
        var team = await AssignmentTeam.CreateAsync(fixture, 3);
        var pools = new[]
        {
            await team.PoolAsync(Rule("least-loaded"), capacity),
            await team.PoolAsync(Rule("round-robin"), capacity),
            await team.PoolAsync(Rule("weighted"), capacity),
        };

        var leads = await Task.WhenAll(Enumerable.Range(0, 45).Select(async i =>
        {
            var pool = pools[i % 3];
            var id = await NewLeadAsync(pool);
            return (await team.Assignment(pool).AssignNow(id, "race"), id);
        }));
        foreach (var pool in pools)
        {
            await team.Assignment(pool).RunBatch();
        }

        foreach (var rep in team.Reps)
        {
            Assert.Equal(capacity, await team.OwnedAsync(rep));
        }

        var owners = await Task.WhenAll(leads.Select(async l => (await Customer(l.id).Get())!.OwnerId));
        Assert.Equal(3 * capacity, owners.Count(o => o is not null));
        var waiting = (await Task.WhenAll(pools.Select(p => team.Assignment(p).GetStatus()))).Sum(s => s.Unassigned.Count);
        Assert.Equal(45 - 3 * capacity, waiting);
    }

    [Fact]
    public async Task Even_distribution_spreads_a_list_over_a_team_with_a_result_per_customer()
    {
        var team = await AssignmentTeam.CreateAsync(fixture, 3);
        var pool = await team.PoolAsync(Rule("round-robin", mode: "manual-claim"));
        var ids = new List<Guid>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add(await NewLeadAsync(pool));
        }

        var roster = new RepRoster(fixture.Database);
        var result = await new EvenDistributor(fixture.Grains, roster)
            .DistributeAsync([.. ids, ids[0], Guid.NewGuid()], await roster.TeamAsync(team.OrgUnitId), "trade fair list", AssignmentTeam.Manager);
        var again = await new EvenDistributor(fixture.Grains, roster)
            .DistributeAsync([ids[0]], await roster.TeamAsync(team.OrgUnitId), null, AssignmentTeam.Manager);

        Assert.Equal(11, result.Requested);
        Assert.Equal(10, result.Assigned);
        Assert.Equal([4, 3, 3], result.Distribution.Select(d => d.Received));
        Assert.Equal(1, result.Spread);
        Assert.Equal("not-found", result.Items[^1].Code);
        Assert.Equal("already-owned", Assert.Single(again.Items).Code);
        Assert.Equal("distribution", (await Customer(ids[0]).HistoryAsync())!.Last().Data["trigger"]);
    }

    private async Task<Guid> NewLeadAsync(string poolId)
    {
        var id = Guid.NewGuid();
        Assert.True((await Customer(id).Create(new NewCustomer("Chen Jie", PoolId: poolId), AssignmentTeam.Manager)).Ok);
        return id;
    }

    /// <summary>Polls the customer's timeline (real time, up to 10 s) until <paramref name="done"/> holds; answers it then.</summary>
    private async Task<IReadOnlyList<HistoryEntry>> TimelineEventuallyAsync(Guid id, Func<IReadOnlyList<HistoryEntry>, bool> done)
    {
        var timeline = (await Customer(id).HistoryAsync())!;
        for (var i = 0; i < 200 && !done(timeline); i++)
        {
            await Task.Delay(50);
            timeline = (await Customer(id).HistoryAsync())!;
        }

        Assert.True(done(timeline), "timeline never got there:\n" + string.Join("\n", timeline.Select(e => $"{e.Kind} {e.Reason}")));
        return timeline;
    }
}
