using Crm.Client;
using Crm.Grains.Assignment;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Dedup;
using Crm.Grains.EventLog;
using Crm.Grains.Notes;
using Crm.Grains.Pools;
using Crm.Grains.Reps;
using Crm.Tests.Assignment;
using Crm.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Crm.Tests.Customers;

/// <summary>
/// Every customer command whose commit fails (EventLogFaults makes the transaction throw) leaves the customer exactly as
/// it was: the grain's memory, its history, the rep's private pool, the snapshot, the outbox and the read model. Once
/// healed the customer goes on from where it was, and the failed change never shows up.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class FailedCommitTests(ClusterFixture fixture)
{
    public enum Command
    {
        Create,
        CreateWithOwner,
        Claim,
        Release,
        Assign,
        AssignByRule,
        FollowUp,
        StageChange,
        FlagDuplicate,
        MoveToPool,
        Note,
        Recycle,
    }

    private static readonly Actor Manager = new("manager-1", UserRole.Manager, "unit-1");

    private static Actor Rep(string id) => new(id, UserRole.Rep, "unit-1");

    private EventLogFaults Faults => ((InProcessSiloHandle)fixture.Cluster.Primary!).SiloHost!.Services.GetRequiredService<EventLogFaults>();

    [Theory]
    [InlineData(Command.Create)]
    [InlineData(Command.CreateWithOwner)]
    [InlineData(Command.Claim)]
    [InlineData(Command.Release)]
    [InlineData(Command.Assign)]
    [InlineData(Command.AssignByRule)]
    [InlineData(Command.FollowUp)]
    [InlineData(Command.StageChange)]
    [InlineData(Command.FlagDuplicate)]
    [InlineData(Command.MoveToPool)]
    [InlineData(Command.Note)]
    [InlineData(Command.Recycle)]
    public async Task A_command_whose_commit_fails_leaves_the_customer_as_it_was(Command command)
    {
        var scene = await SceneAsync(command);
        var before = await TraceAsync(scene);
        Faults.FailCommitsOf(scene.Armed);
        try
        {
            Assert.False(await SucceedsAsync(() => scene.Run()), $"{command} succeeded although its commit was made to fail");

            Assert.Equal(before, await TraceAsync(scene));
            Assert.Equal(0, await OutboxRowsAfterAsync(scene.Customer, before.Customer.Version));
        }
        finally
        {
            Faults.Heal(scene.Armed);
        }

        // Healed, the customer takes the next command at the very next version, with the failed change nowhere.
        var (afterKind, marker) = await scene.AfterHeal();
        var after = await TraceAsync(scene);
        Assert.Equal(before.Customer.Version + 1, after.Customer.Version);
        Assert.Equal(before.Customer.Version + 1, after.Customer.SnapshotVersion);
        Assert.Equal(before.Customer.Version + 1, after.Customer.RowVersion);
        Assert.Equal(before.Customer.Events + 1, after.Customer.Events);
        var history = (await Grain(scene.Customer).HistoryAsync())!;
        Assert.Equal(before.Customer.History, Keys(history.SkipLast(1)));
        Assert.Equal(afterKind, history[^1].Kind);
        if (marker is not null)
        {
            Assert.Equal(marker, history[^1].Text);
        }

        Assert.DoesNotContain(history, e => e.Text == FailedText || e.Reason == FailedText || e.Data.Values.Contains(FailedText));
    }

    [Fact]
    public async Task A_failed_follow_up_leaves_the_customer_as_it_was()
    {
        var rep = NewRepId();
        var customer = await NewLeadAsync(await NewPoolAsync());
        Assert.True((await customer.Claim(Rep(rep))).Ok);
        var before = (await customer.Get())!;
        var history = (await customer.HistoryAsync())!;

        Faults.FailCommitsOf(customer.GetPrimaryKey());
        try
        {
            await Assert.ThrowsAnyAsync<Exception>(() => customer.AddFollowUp(new NewFollowUp(FollowUpType.Visit, "signed", "the lost visit"), Rep(rep)));
            Assert.Equal(before, await customer.Get());
            Assert.Equal(history.Count, (await customer.HistoryAsync())!.Count);
        }
        finally
        {
            Faults.Heal(customer.GetPrimaryKey());
        }

        var kept = await customer.AddFollowUp(new NewFollowUp(FollowUpType.Call, "call back", "the kept call"), Rep(rep));

        Assert.True(kept.Ok, kept.Error?.Message);
        Assert.Equal(before.Version + 1, kept.Value!.Seq);
        Assert.Equal(before.Version + 1, (await customer.Get())!.Version);
        var texts = (await customer.HistoryAsync())!.Select(e => e.Text).ToList();
        Assert.Contains("the kept call", texts);
        Assert.DoesNotContain("the lost visit", texts);
        // The owner's last follow-up is the kept call's, not the lost visit's.
        Assert.Equal(kept.Value.At, (await customer.Get())!.LastFollowUpAt);
    }

    [Fact]
    public async Task A_failed_claim_does_not_use_up_the_rep_s_daily_claim()
    {
        var pool = await NewPoolAsync(new PoolRuleSet { ClaimsPerRepPerDay = 1 });
        var rep = NewRepId();
        var customer = await NewLeadAsync(pool);

        Faults.FailCommitsOf(customer.GetPrimaryKey());
        try
        {
            await Assert.ThrowsAnyAsync<Exception>(() => customer.Claim(Rep(rep)));
        }
        finally
        {
            Faults.Heal(customer.GetPrimaryKey());
        }

        Assert.Empty(await fixture.Grains.GetGrain<IRepGrain>(rep).GetOwned());
        var claimed = await customer.Claim(Rep(rep));
        Assert.True(claimed.Ok, $"the failed claim counted against the pool's one claim a day: {claimed.Error?.Code} {claimed.Error?.Message}");
        Assert.Equal(rep, claimed.Value!.OwnerId);
    }

    [Fact]
    public async Task A_recycle_whose_commit_fails_is_asked_again_by_the_next_sweep()
    {
        var pool = await NewPoolAsync(new PoolRuleSet { RecycleAfterDaysWithoutFollowUp = 1 });
        var rep = NewRepId();
        var customer = await NewLeadAsync(pool);
        Assert.True((await customer.Claim(Rep(rep))).Ok);

        // Armed before the clock moves: the rep grain's own timer may sweep as soon as the fake clock passes the deadline.
        Faults.FailCommitsOf(customer.GetPrimaryKey());
        try
        {
            fixture.Clock.Advance(TimeSpan.FromDays(1.5));
            var failed = await fixture.Grains.GetGrain<IRepGrain>(rep).SweepNow();
            Assert.Equal(0, failed.Recycled);
            Assert.Equal(rep, (await customer.Get())!.OwnerId);
        }
        finally
        {
            Faults.Heal(customer.GetPrimaryKey());
        }

        var again = await fixture.Grains.GetGrain<IRepGrain>(rep).SweepNow();
        Assert.Equal(1, again.Recycled);
        Assert.Null((await customer.Get())!.OwnerId);
        Assert.Empty(await fixture.Grains.GetGrain<IRepGrain>(rep).GetOwned());
    }

    [Fact]
    public async Task A_merge_whose_duplicate_cannot_commit_yet_is_completed_by_the_outbox_once_it_can()
    {
        var pool = await NewPoolAsync();
        var rep = NewRepId();
        var survivor = await NewLeadAsync(pool, "Survivor Ltd.");
        var duplicate = await NewLeadAsync(pool, "Duplicate Ltd.");
        Assert.True((await duplicate.Claim(Rep(rep))).Ok);

        Faults.FailCommitsOf(duplicate.GetPrimaryKey());
        try
        {
            // The survivor decides and commits the merge; the duplicate cannot become an alias yet.
            var merged = await survivor.MergeFrom(duplicate.GetPrimaryKey(), "same firm", Manager);
            Assert.True(merged.Ok, merged.Error?.Message);
            Assert.Null(await duplicate.AliasOf());
            Assert.Single((await survivor.HistoryAsync())!, e => e.Kind == TimelineKinds.Merged);
        }
        finally
        {
            Faults.Heal(duplicate.GetPrimaryKey());
        }

        // The entry left in the outbox is delivered by the silo's sweep once it is old enough.
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        var dispatcher = ((InProcessSiloHandle)fixture.Cluster.Primary!).SiloHost!.Services.GetRequiredService<Crm.Grains.Outbox.OutboxDispatcher>();
        Assert.True(await dispatcher.SweepAsync() >= 1);

        Assert.Equal(survivor.GetPrimaryKey(), await duplicate.AliasOf());
        Assert.Null(await duplicate.Get());
        Assert.DoesNotContain(await fixture.Grains.GetGrain<IRepGrain>(rep).GetOwned(), o => o.CustomerId == duplicate.GetPrimaryKey());
    }

    [Fact]
    public async Task A_merge_whose_survivor_fails_to_commit_leaves_the_survivor_as_it_was_and_a_retry_completes_it()
    {
        // The merge is decided by the survivor's commit; when that fails, neither customer changes, and the merge retried
        // after the heal does the whole job.
        var pool = await NewPoolAsync();
        var survivor = await NewLeadAsync(pool, "Survivor Co.");
        var duplicate = await NewLeadAsync(pool, "Duplicate Co.");
        Assert.True((await duplicate.AddFollowUp(new NewFollowUp(FollowUpType.Call, "duplicate's call", "on the duplicate"), Manager)).Ok);
        var before = await CustomerTraceAsync(survivor.GetPrimaryKey());

        Faults.FailCommitsOf(survivor.GetPrimaryKey());
        try
        {
            Assert.False(await SucceedsAsync(async () => (await survivor.MergeFrom(duplicate.GetPrimaryKey(), "same firm", Manager)).Ok));
            Assert.Equal(before, await CustomerTraceAsync(survivor.GetPrimaryKey()));
            Assert.Null(await duplicate.AliasOf());
            Assert.NotNull(await duplicate.Get());
        }
        finally
        {
            Faults.Heal(survivor.GetPrimaryKey());
        }

        var merged = await survivor.MergeFrom(duplicate.GetPrimaryKey(), "same firm", Manager);

        Assert.True(merged.Ok, merged.Error?.Message);
        Assert.Equal(before.Version + 1, merged.Value!.Version);
        var history = (await survivor.HistoryAsync())!;
        Assert.Single(history, e => e.Kind == TimelineKinds.Merged);
        Assert.Contains(history, e => e.Text == "on the duplicate" && e.Data["mergedFrom"] == duplicate.GetPrimaryKey().ToString());
        Assert.Equal(survivor.GetPrimaryKey(), await duplicate.AliasOf());
    }

    // ---- the scenes: a customer ready for the command, the command, and a different one that succeeds after the heal ----

    private const string FailedText = "the change that failed";

    private const string AfterHealText = "after the heal";

    private sealed record Scene(
        Guid Customer,
        Guid Armed,
        IReadOnlyList<string> Reps,
        Guid? Other,
        Func<Task<bool>> Run,
        Func<Task<(string Kind, string? Text)>> AfterHeal);

    private async Task<Scene> SceneAsync(Command command)
    {
        var pool = await NewPoolAsync(command == Command.Recycle ? new PoolRuleSet { RecycleAfterDaysWithoutFollowUp = 1 } : null);
        var rep = NewRepId();
        var other = NewRepId();

        // The usual proof after the heal: the manager follows the customer up.
        Func<ICustomerGrain, Func<Task<(string, string?)>>> followUpAfterHeal = customer => async () =>
        {
            var done = await customer.AddFollowUp(new NewFollowUp(FollowUpType.Call, "ok", AfterHealText), Manager);
            Assert.True(done.Ok, done.Error?.Message);
            return (TimelineKinds.FollowUp, AfterHealText);
        };

        switch (command)
        {
            case Command.Create:
            case Command.CreateWithOwner:
            {
                var id = Guid.NewGuid();
                var grain = Grain(id);
                var request = new NewCustomer("Never Created", Phone: "13900000000", PoolId: pool,
                    OwnerId: command == Command.CreateWithOwner ? rep : null, Source: FailedText);
                return new Scene(id, id, [rep], null,
                    async () => (await grain.Create(request, Manager)).Ok,
                    async () =>
                    {
                        var created = await grain.Create(request with { Source = null, OwnerId = null }, Manager);
                        Assert.True(created.Ok, created.Error?.Message);
                        Assert.Empty(await fixture.Grains.GetGrain<IRepGrain>(rep).GetOwned());
                        return (TimelineKinds.Created, null);
                    });
            }

            case Command.Claim:
            {
                var customer = await NewLeadAsync(pool);
                return SceneOf(customer, [rep], async () => (await customer.Claim(Rep(rep))).Ok, followUpAfterHeal(customer));
            }

            case Command.Release:
            {
                var customer = await NewLeadAsync(pool);
                Assert.True((await customer.Claim(Rep(rep))).Ok);
                return SceneOf(customer, [rep], async () => (await customer.Release(FailedText, Rep(rep))).Ok, followUpAfterHeal(customer));
            }

            case Command.Assign:
            {
                // Assigned away from its owner: neither the new rep gains it nor the owner loses it.
                var customer = await NewLeadAsync(pool);
                Assert.True((await customer.Claim(Rep(other))).Ok);
                return SceneOf(customer, [rep, other], async () => (await customer.Assign(rep, FailedText, Manager)).Ok, followUpAfterHeal(customer));
            }

            case Command.AssignByRule:
            {
                // Assignment by rule takes only active reps of the org tree: a real team.
                var team = await AssignmentTeam.CreateAsync(fixture, 1);
                var teamPool = Guid.NewGuid().ToString("N")[..12];
                Assert.True((await fixture.Grains.GetGrain<IPoolGrain>(teamPool).Create("Team pool", team.OrgUnitId, new PoolRuleSet())).Ok);
                var customer = await NewLeadAsync(teamPool);
                var note = new AssignmentNote("round-robin", FailedText, "test", false, "system");
                return SceneOf(customer, [team.Reps[0]], async () => (await customer.AssignByRule(team.Reps[0], note)).Ok, followUpAfterHeal(customer));
            }

            case Command.FollowUp:
            {
                var customer = await NewLeadAsync(pool);
                Assert.True((await customer.Claim(Rep(rep))).Ok);
                return SceneOf(customer, [rep],
                    async () => (await customer.AddFollowUp(new NewFollowUp(FollowUpType.Visit, "met", FailedText), Rep(rep))).Ok,
                    async () =>
                    {
                        var moved = await customer.ChangeStage(CustomerStage.Opportunity, AfterHealText, Rep(rep));
                        Assert.True(moved.Ok, moved.Error?.Message);
                        Assert.Null(moved.Value!.LastFollowUpAt);
                        return (TimelineKinds.StageChanged, null);
                    });
            }

            case Command.StageChange:
            {
                var customer = await NewLeadAsync(pool);
                Assert.True((await customer.Claim(Rep(rep))).Ok);
                return SceneOf(customer, [rep], async () => (await customer.ChangeStage(CustomerStage.Lost, FailedText, Rep(rep))).Ok, followUpAfterHeal(customer));
            }

            case Command.FlagDuplicate:
            {
                var customer = await NewLeadAsync(pool);
                var twin = Guid.NewGuid();
                return SceneOf(customer, [], async () =>
                {
                    await customer.FlagDuplicate(twin, new DedupMatch(twin, "phone", "phone", "+8613800138000", "exact", 1, null, "flag"), Manager);
                    return true;
                }, followUpAfterHeal(customer));
            }

            case Command.MoveToPool:
            {
                var customer = await NewLeadAsync(pool);
                Assert.True((await customer.Claim(Rep(rep))).Ok);
                var target = await NewPoolAsync();
                return SceneOf(customer, [rep], async () => (await customer.MoveToPool(target, FailedText, Manager)).Ok, async () =>
                {
                    var (kind, text) = await followUpAfterHeal(customer)();
                    Assert.Equal(pool, (await customer.Get())!.PoolId);
                    Assert.All(await fixture.Grains.GetGrain<IRepGrain>(rep).GetOwned(), o => Assert.Equal(pool, o.PoolId));
                    return (kind, text);
                });
            }

            case Command.Note:
            {
                var customer = await NewLeadAsync(pool);
                Assert.True((await customer.Claim(Rep(rep))).Ok);
                var record = new NoteRecord("note-" + Guid.NewGuid().ToString("N"), "tpl-failed", 1, FailedText, "{}", [], null);
                return SceneOf(customer, [rep], async () => (await customer.AddNote(record, Rep(rep))).Ok, async () =>
                {
                    // The same note id again: written now, once (a retry of a note that never committed is not "done").
                    var written = await customer.AddNote(record with { Text = AfterHealText }, Rep(rep));
                    Assert.True(written.Ok, written.Error?.Message);
                    return (TimelineKinds.Note, AfterHealText);
                });
            }

            case Command.Recycle:
            {
                var customer = await NewLeadAsync(pool);
                Assert.True((await customer.Claim(Rep(rep))).Ok);
                return SceneOf(customer, [rep], async () =>
                {
                    // Past the deadline: the rep's own sweep may ask too, and fails the same way while armed.
                    fixture.Clock.Advance(TimeSpan.FromDays(2));
                    return (await customer.Recycle(rep)).Status == RecycleStatus.Recycled;
                }, async () =>
                {
                    // Retried (by us, or by the rep's sweep first): recycled exactly once.
                    var outcome = await customer.Recycle(rep);
                    Assert.Contains(outcome.Status, new[] { RecycleStatus.Recycled, RecycleStatus.NotOwned });
                    Assert.Null((await customer.Get())!.OwnerId);
                    return (TimelineKinds.Recycled, null);
                });
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(command));
        }
    }

    private static Scene SceneOf(ICustomerGrain customer, IReadOnlyList<string> reps, Func<Task<bool>> run, Func<Task<(string, string?)>> afterHeal) =>
        new(customer.GetPrimaryKey(), customer.GetPrimaryKey(), reps, null, run, afterHeal);

    // ---- what "as it was" means ----

    private sealed record Trace(CustomerTrace Customer, CustomerTrace? Other, string PrivatePools);

    /// <summary>A customer as memory, history (one line per entry), snapshot, event log, read model and notes table hold it.</summary>
    private sealed record CustomerTrace(CustomerView? Dto, long Version, string History, long? SnapshotVersion, long Events, long? RowVersion, long Notes);

    private async Task<Trace> TraceAsync(Scene scene)
    {
        var pools = new List<string>();
        foreach (var rep in scene.Reps)
        {
            var owned = await fixture.Grains.GetGrain<IRepGrain>(rep).GetOwned();
            pools.Add($"{rep}: [{string.Join(", ", owned.Select(o => $"{o.CustomerId}@{o.PoolId}").Order(StringComparer.Ordinal))}]");
        }

        return new Trace(await CustomerTraceAsync(scene.Customer), scene.Other is { } other ? await CustomerTraceAsync(other) : null,
            string.Join("; ", pools));
    }

    private async Task<CustomerTrace> CustomerTraceAsync(Guid id)
    {
        var grain = Grain(id);
        var dto = await grain.Get();
        var history = await grain.HistoryAsync() ?? [];
        await using var connection = await fixture.Database.OpenAsync();
        var args = new { id = id.ToString() };
        return new CustomerTrace(
            dto,
            dto?.Version ?? 0,
            Keys(history),
            await connection.ExecuteScalarAsync<long?>("SELECT version FROM customer_snapshots WHERE customer_id = @id", args),
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM customer_events WHERE customer_id = @id", args),
            await connection.ExecuteScalarAsync<long?>("SELECT version FROM customers WHERE id = @id", args),
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM notes WHERE customer_id = @id", args));
    }

    private async Task<long> OutboxRowsAfterAsync(Guid id, long version)
    {
        await using var connection = await fixture.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM customer_outbox WHERE customer_id = @id AND version > @version", new { id = id.ToString(), version });
    }

    private static string Keys(IEnumerable<HistoryEntry> history) =>
        string.Join("\n", history.Select(e => $"{e.Position}:{e.Seq}:{e.Kind}:{e.Reason}:{e.Text}"));

    /// <summary>Whether a command went through: false when it answered an error or threw (as a failed commit does).</summary>
    private static async Task<bool> SucceedsAsync(Func<Task<bool>> command)
    {
        try
        {
            return await command();
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            return false;
        }
    }

    private ICustomerGrain Grain(Guid id) => fixture.Grains.GetGrain<ICustomerGrain>(id);

    private static string NewRepId() => "rep-" + Guid.NewGuid().ToString("N");

    private async Task<string> NewPoolAsync(PoolRuleSet? rules = null)
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        Assert.True((await fixture.Grains.GetGrain<IPoolGrain>(id).Create("Pool", "unit-1", rules ?? new PoolRuleSet())).Ok);
        return id;
    }

    private async Task<ICustomerGrain> NewLeadAsync(string poolId, string name = "Wang Fang")
    {
        var grain = Grain(Guid.NewGuid());
        var created = await grain.Create(new NewCustomer(name, "Suzhou Mingda Co., Ltd.", "13800138000", PoolId: poolId), Manager);
        Assert.True(created.Ok, created.Error?.Message);
        return grain;
    }
}
