using System.Diagnostics.CodeAnalysis;
using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Plugins;
using Crm.Grains.Pools;
using Crm.Grains.Push;
using Crm.Grains.Storage;
using Crm.Sdk;
using Microsoft.Extensions.Logging;

namespace Crm.Grains.Assignment;

/// <summary>
/// Automatic assignment for one pool (key: pool id): checks that a lead is the pool's to hand out, lets the pool's
/// strategy decide among the reps on duty (<see cref="RosterCache"/>), then assigns through the customer grain, skipping
/// a rep that refuses. Dry runs go to <see cref="AssignmentSimulator"/>.
/// </summary>
public sealed class AssignmentGrain(
    [PersistentState("assignment", "crm")] IPersistentState<AssignmentState> state,
    StrategyRunner runner,
    CrmDatabase database,
    TimeProvider clock,
    ILogger<AssignmentGrain> logger) : Grain, IAssignmentGrain, IRemindable
{
    private const string ReminderName = "assignment";
    private const int SweepLimit = 500;
    private const int MaxTries = 3;

    private readonly RepRoster _roster = new(database);
    private RosterCache? _team;
    private AssignmentSimulator? _simulator;

    private AssignmentState S => state.State;

    private RosterCache Team => _team ??= new(_roster, GrainFactory);

    private AssignmentSimulator Simulator => _simulator ??= new(runner, _roster, GrainFactory);

    private string PoolId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken) => await ArmScheduleAsync();

    public async Task LeadEntered(Guid customerId, string trigger)
    {
        if (await PoolAsync() is not { Rules.Assignment: { } rule } pool || Mode(rule) == AssignmentModes.ManualClaim)
        {
            return;
        }

        if (Mode(rule) == AssignmentModes.Batch)
        {
            if (!S.Pending.Contains(customerId))
            {
                S.Pending.Add(customerId);
                await state.WriteStateAsync();
            }

            return;
        }

        await AssignOneAsync(customerId, trigger, pool, rule);
    }

    public async Task LeadsEntered(IReadOnlyList<Guid> customerIds, string trigger)
    {
        if (await PoolAsync() is not { Rules.Assignment: { } rule } pool || Mode(rule) == AssignmentModes.ManualClaim)
        {
            return;
        }

        if (Mode(rule) == AssignmentModes.Batch)
        {
            var waiting = S.Pending.ToHashSet();
            var added = customerIds.Where(waiting.Add).ToList();
            S.Pending.AddRange(added);
            if (added.Count > 0)
            {
                await state.WriteStateAsync();
            }

            return;
        }

        foreach (var customerId in customerIds)
        {
            await AssignOneAsync(customerId, trigger, pool, rule);
        }
    }

    public async Task<AssignmentAttempt> AssignNow(Guid customerId, string trigger)
    {
        if (await PoolAsync() is not { Rules.Assignment: { } rule } pool)
        {
            return new(customerId, AssignmentAttempt.Skipped, null, null, "the pool has no assignment rule", []);
        }

        return await AssignOneAsync(customerId, trigger, pool, rule);
    }

    public async Task<BatchSummary> RunBatch()
    {
        if (await PoolAsync() is not { Rules.Assignment: { } rule } pool || Mode(rule) == AssignmentModes.ManualClaim)
        {
            return new BatchSummary(0, 0, 0);
        }

        var ids = S.Pending.Concat(await _roster.UnownedLeadsAsync(PoolId, SweepLimit)).Distinct().ToList();
        int assigned = 0, unassigned = 0;
        foreach (var id in ids)
        {
            var attempt = await AssignOneAsync(id, "batch", pool, rule);
            assigned += attempt.Outcome == AssignmentAttempt.Assigned ? 1 : 0;
            unassigned += attempt.Outcome == AssignmentAttempt.Unassigned ? 1 : 0;
        }

        if (S.Pending.Count > 0)
        {
            S.Pending.Clear();
            await state.WriteStateAsync();
        }

        return new BatchSummary(ids.Count, assigned, unassigned);
    }

    public async Task<Simulation> Simulate(string strategy, IReadOnlyDictionary<string, string> options,
        IReadOnlyList<LeadCard>? leads, int? lastDays)
    {
        var pool = await PoolAsync() ?? throw new InvalidOperationException($"Pool '{PoolId}' does not exist.");
        var now = clock.GetUtcNow();
        var (simulated, protectedReps) = leads is null
            ? await Simulator.RecentLeadsAsync(PoolId, now.AddDays(-(lastDays ?? 30)))
            : (leads, []);
        await Team.EnsureAsync(PoolId, force: true);
        return await Simulator.RunAsync(strategy, pool.Rules.Assignment?.Fallback ?? AssignmentModes.DefaultFallback,
            ContextFor(pool, strategy, options), Candidates(pool, new HashSet<string>(), null), simulated, protectedReps, now);
    }

    public async Task<AssignmentStatus> GetStatus()
    {
        var pool = await PoolAsync();
        return new AssignmentStatus(PoolId, pool?.Rules.Assignment, S.Assigned, S.FellBack, S.Pending.Count, S.LastFault, S.LastFaultAt,
            S.Unassigned.OrderBy(u => u.Value.Since).Select(u => new WaitingLead(u.Key, u.Value.Reason, u.Value.Since)).ToList());
    }

    public async Task RulesChanged()
    {
        Team.Invalidate();
        await ArmScheduleAsync();
    }

    public Task RosterChanged()
    {
        Team.Invalidate();
        return Task.CompletedTask;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        var summary = await RunBatch();
        if (summary.Considered > 0)
        {
            logger.LogInformation("Pool {PoolId}: assignment batch looked at {Considered} leads, assigned {Assigned}, left {Unassigned}",
                PoolId, summary.Considered, summary.Assigned, summary.Unassigned);
        }
    }

    /// <summary>Check the lead, let the strategy decide among the reps on duty, then assign; a refusing rep is skipped.</summary>
    private async Task<AssignmentAttempt> AssignOneAsync(Guid customerId, string trigger, PoolInfo pool, AssignmentSettings rule)
    {
        var lead = await GrainFactory.GetGrain<ICustomerGrain>(customerId).GetAssignmentLead();
        if (IsSkipped(lead, out var skipped))
        {
            await ForgetAsync(customerId);
            return new(customerId, AssignmentAttempt.Skipped, lead?.OwnerId, null, skipped, []);
        }

        await Team.EnsureAsync(PoolId);
        var excluded = new HashSet<string>(lead.ProtectedReps, StringComparer.Ordinal);
        var regionPath = await Team.RegionPathAsync(lead.RegionUnitId);
        var faults = new List<string>();
        var refusals = new List<string>();
        for (var attempt = 0; attempt < MaxTries; attempt++)
        {
            var candidates = Candidates(pool, excluded, regionPath);
            if (candidates.Count == 0)
            {
                return await LeaveAsync(customerId, string.Join("; ", refusals.Append(NoCandidate(excluded, refusals, regionPath))), faults);
            }

            var outcome = await DecideAsync(lead, candidates, pool, rule, faults);
            if (outcome is not { Succeeded: true, Value: { } decision })
            {
                return await LeaveAsync(customerId, "no strategy could decide: " + string.Join("; ", outcome.Faults), faults);
            }

            if (decision.RepId is not { } repId)
            {
                return await LeaveAsync(customerId, decision.Reason, faults);
            }

            var reason = outcome.FellBack ? $"{decision.Reason} (fallback: {rule.Strategy} failed)" : decision.Reason;
            if (await AssignAsync(customerId, repId, new AssignmentNote(outcome.UsedStrategy!, reason, trigger, outcome.FellBack, Actor.System.UserId),
                    excluded, refusals, faults) is { } done)
            {
                return done;
            }
        }

        return await LeaveAsync(customerId, string.Join("; ", refusals), faults);
    }

    /// <summary>Whether the lead is not this pool's to assign, and why.</summary>
    private bool IsSkipped([NotNullWhen(false)] AssignmentLead? lead, [NotNullWhen(true)] out string? why)
    {
        why = lead is null ? "the customer does not exist"
            : lead.PoolId != PoolId ? "the customer is in another pool"
            : lead.OwnerId is not null ? $"already owned by {lead.OwnerId}"
            : !lead.IsOpen ? $"stage {lead.Stage.ToString().ToLowerInvariant()} is not assigned automatically"
            : null;
        return why is not null;
    }

    private string NoCandidate(IReadOnlySet<string> excluded, IReadOnlyList<string> refusals, string? regionPath) =>
        !Team.HasTeam ? "the pool's team has no reps"
        : excluded.Count > 0 && refusals.Count == 0 ? "every rep on duty is blocked by reclaim protection"
        : regionPath is not null ? "no rep on duty covers the customer's region"
        : "no rep of the team is on duty";

    /// <summary>The pool's strategy (or its fallback) picks a rep; its faults are recorded and its state kept.</summary>
    private async Task<StrategyOutcome<AssignmentDecision>> DecideAsync(
        AssignmentLead lead, List<RepCandidate> candidates, PoolInfo pool, AssignmentSettings rule, List<string> faults)
    {
        var request = new AssignmentRequest
        {
            Lead = lead.Card.ToSnapshot(),
            Candidates = candidates,
            Pool = ContextFor(pool, rule.Strategy, rule.Options ?? new Dictionary<string, string>()),
            Now = clock.GetUtcNow(),
        };
        var outcome = await runner.ChooseAsync(rule.Strategy, rule.Fallback ?? AssignmentModes.DefaultFallback, request);
        if (outcome.Faults.Count > 0)
        {
            faults.AddRange(outcome.Faults);
            S.LastFault = outcome.Faults[^1];
            S.LastFaultAt = clock.GetUtcNow();
        }

        if (outcome is { Succeeded: true, FellBack: false, Value.StrategyState: { } kept })
        {
            S.StrategyStates[rule.Strategy] = kept;
        }

        return outcome;
    }

    /// <summary>
    /// Hands the lead to the chosen rep. Null when the rep refused for a reason of its own (capacity, protection,
    /// membership, region, duty): it is left out and the strategy chooses again.
    /// </summary>
    private async Task<AssignmentAttempt?> AssignAsync(Guid customerId, string repId, AssignmentNote note,
        HashSet<string> excluded, List<string> refusals, List<string> faults)
    {
        var result = await GrainFactory.GetGrain<ICustomerGrain>(customerId).AssignByRule(repId, note);
        if (result.Ok)
        {
            await RecordAssignedAsync(customerId, repId, note.FellBack);
            return new(customerId, AssignmentAttempt.Assigned, repId, note.Strategy, note.Reason, faults);
        }

        switch (result.Error!.Code)
        {
            case ErrorCodes.CapacityFull:
                // Our count was behind (a claim, another pool): the rep is full until the roster is read again.
                Team.MarkFull(repId);
                excluded.Add(repId);
                refusals.Add($"{repId} is at capacity");
                return null;
            case ErrorCodes.ReclaimProtected or ErrorCodes.NotAPoolMember or ErrorCodes.OutOfRegion or ErrorCodes.RepUnavailable:
                // The roster was behind the org tree or the lead's history: skip the rep for this lead.
                excluded.Add(repId);
                refusals.Add($"{repId}: {result.Error.Code}");
                return null;
            case ErrorCodes.AlreadyOwned:
                await ForgetAsync(customerId);
                return new(customerId, AssignmentAttempt.Skipped, null, note.Strategy, result.Error.Message, faults);
            default:
                return await LeaveAsync(customerId, result.Error.Message, faults);
        }
    }

    private List<RepCandidate> Candidates(PoolInfo pool, IReadOnlySet<string> excluded, string? regionPath)
    {
        RollDay();
        return Team.Candidates(pool, excluded, regionPath, S.ReceivedToday);
    }

    private PoolContext ContextFor(PoolInfo pool, string strategy, IReadOnlyDictionary<string, string> options) => new()
    {
        PoolId = PoolId,
        OrgUnitId = pool.OrgUnitId,
        Options = options,
        StrategyState = S.StrategyStates.GetValueOrDefault(strategy),
    };

    private async Task RecordAssignedAsync(Guid customerId, string repId, bool fellBack)
    {
        Team.CountAssigned(repId);
        RollDay();
        S.ReceivedToday[repId] = S.ReceivedToday.GetValueOrDefault(repId) + 1;
        S.Assigned++;
        S.FellBack += fellBack ? 1 : 0;
        S.Unassigned.Remove(customerId);
        S.Pending.Remove(customerId);
        await state.WriteStateAsync();
    }

    /// <summary>The lead stays in the pool; managers hear about it once per reason.</summary>
    private async Task<AssignmentAttempt> LeaveAsync(Guid customerId, string reason, List<string> faults)
    {
        var now = clock.GetUtcNow();
        var known = S.Unassigned.GetValueOrDefault(customerId);
        S.Unassigned[customerId] = new UnassignedEntry(reason, known?.Since ?? now);
        S.Pending.Remove(customerId);
        await state.WriteStateAsync();
        if (known?.Reason != reason && await PoolAsync() is { } pool)
        {
            EventPublisher.Publish(GrainFactory, new LeadUnassigned(customerId, now, PoolId, reason), [PushChannels.Unit(pool.OrgUnitId)]);
        }

        return new(customerId, AssignmentAttempt.Unassigned, null, null, reason, faults);
    }

    private async Task ForgetAsync(Guid customerId)
    {
        if (S.Unassigned.Remove(customerId) | S.Pending.Remove(customerId))
        {
            await state.WriteStateAsync();
        }
    }

    private void RollDay()
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (S.ReceivedDay != today)
        {
            S.ReceivedDay = today;
            S.ReceivedToday.Clear();
        }
    }

    /// <summary>A reminder wakes the pool after a restart: batches keep their schedule and sweeps heal lost messages.</summary>
    private async Task ArmScheduleAsync()
    {
        var rule = (await PoolAsync())?.Rules.Assignment;
        var existing = await this.GetReminder(ReminderName);
        if (rule is null || Mode(rule) == AssignmentModes.ManualClaim)
        {
            if (existing is not null)
            {
                await this.UnregisterReminder(existing);
            }

            return;
        }

        var period = Mode(rule) == AssignmentModes.Batch
            ? TimeSpan.FromMinutes(rule.BatchEveryMinutes ?? 60)
            : AssignmentModes.SweepPeriod;
        await this.RegisterOrUpdateReminder(ReminderName, period, period);
    }

    private Task<PoolInfo?> PoolAsync() => GrainFactory.GetGrain<IPoolGrain>(PoolId).Get();

    private static string Mode(AssignmentSettings rule) => rule.Mode ?? AssignmentModes.Immediate;
}
