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
/// Automatic assignment for one pool (key: pool id): checks that a lead is the pool's to hand out
/// (<see cref="LeadTries"/>), lets the pool's strategy decide among the reps on duty (<see cref="RosterCache"/>),
/// then assigns through the customer grain, skipping a rep that refuses; what it keeps is in <see cref="AssignmentBook"/>.
/// Dry runs go to <see cref="AssignmentSimulator"/>.
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
    private AssignmentBook? _book;

    private AssignmentBook Book => _book ??= new(state.State, clock);

    private RosterCache Team => _team ??= new(_roster, GrainFactory);

    private AssignmentSimulator Simulator => _simulator ??= new(runner, _roster, Team, GrainFactory);

    private string PoolId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken) => await ArmScheduleAsync();

    public Task LeadEntered(Guid customerId, string trigger) => LeadsEntered([customerId], trigger);

    public async Task LeadsEntered(IReadOnlyList<Guid> customerIds, string trigger)
    {
        if (await PoolAsync() is not { Rules.Assignment: { } rule } pool || AssignmentModes.Of(rule) == AssignmentModes.ManualClaim)
        {
            return;
        }

        if (AssignmentModes.Of(rule) == AssignmentModes.Batch)
        {
            await SaveIf(Book.Queue(customerIds));
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
        if (await PoolAsync() is not { Rules.Assignment: { } rule } pool || AssignmentModes.Of(rule) == AssignmentModes.ManualClaim)
        {
            return new BatchSummary(0, 0, 0);
        }

        var attempts = new List<AssignmentAttempt>();
        foreach (var id in Book.BatchOf(await _roster.UnownedLeadsAsync(PoolId, SweepLimit)))
        {
            attempts.Add(await AssignOneAsync(id, "batch", pool, rule));
        }

        await SaveIf(Book.ClearQueue());
        return BatchSummary.Of(attempts);
    }

    public async Task<Simulation> Simulate(string strategy, IReadOnlyDictionary<string, string> options,
        IReadOnlyList<LeadCard>? leads, int? lastDays)
    {
        var pool = await PoolAsync() ?? throw new InvalidOperationException($"Pool '{PoolId}' does not exist.");
        return await Simulator.SimulateAsync(pool, strategy, ContextFor(pool, strategy, options), leads, lastDays, Book.ReceivedToday, clock.GetUtcNow());
    }

    public async Task<AssignmentStatus> GetStatus() => Book.Status(PoolId, (await PoolAsync())?.Rules.Assignment);

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
        if (LeadTries.IsSkipped(lead, PoolId, out var skipped))
        {
            await ForgetAsync(customerId);
            return new(customerId, AssignmentAttempt.Skipped, lead?.OwnerId, null, skipped, []);
        }

        await Team.EnsureAsync(PoolId);
        var tries = new LeadTries(lead.ProtectedReps);
        var regionPath = await Team.RegionPathAsync(lead.RegionUnitId);
        for (var attempt = 0; attempt < MaxTries; attempt++)
        {
            var candidates = Candidates(pool, tries.Excluded, regionPath);
            if (candidates.Count == 0)
            {
                return await LeaveAsync(customerId, tries.NoCandidate(Team.HasTeam, regionPath), tries.Faults);
            }

            var outcome = await DecideAsync(lead, candidates, pool, rule, tries.Faults);
            if (outcome is not { Succeeded: true, Value: { } decision })
            {
                return await LeaveAsync(customerId, "no strategy could decide: " + string.Join("; ", outcome.Faults), tries.Faults);
            }

            if (decision.RepId is not { } repId)
            {
                return await LeaveAsync(customerId, decision.Reason, tries.Faults);
            }

            var reason = outcome.FellBack ? $"{decision.Reason} (fallback: {rule.Strategy} failed)" : decision.Reason;
            var note = new AssignmentNote(outcome.UsedStrategy!, reason, trigger, outcome.FellBack, Actor.System.UserId);
            if (await AssignAsync(customerId, repId, note, tries) is { } done)
            {
                return done;
            }
        }

        return await LeaveAsync(customerId, tries.Refusals, tries.Faults);
    }

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
        faults.AddRange(outcome.Faults);
        Book.Decided(rule.Strategy, outcome);
        return outcome;
    }

    /// <summary>Hands the lead to the chosen rep. Null when the rep refused for a reason of its own: it is left out and the strategy chooses again.</summary>
    private async Task<AssignmentAttempt?> AssignAsync(Guid customerId, string repId, AssignmentNote note, LeadTries tries)
    {
        var result = await GrainFactory.GetGrain<ICustomerGrain>(customerId).AssignByRule(repId, note);
        if (result.Ok)
        {
            Team.CountAssigned(repId);
            Book.Assigned(customerId, repId, note.FellBack);
            await state.WriteStateAsync();
            return new(customerId, AssignmentAttempt.Assigned, repId, note.Strategy, note.Reason, tries.Faults);
        }

        var error = result.Error!;
        if (tries.LeaveOut(repId, error.Code, Team))
        {
            return null;
        }

        if (error.Code == ErrorCodes.AlreadyOwned)
        {
            await ForgetAsync(customerId);
            return new(customerId, AssignmentAttempt.Skipped, null, note.Strategy, error.Message, tries.Faults);
        }

        return await LeaveAsync(customerId, error.Message, tries.Faults);
    }

    private List<RepCandidate> Candidates(PoolInfo pool, IReadOnlySet<string> excluded, string? regionPath) =>
        Team.Candidates(pool, excluded, regionPath, Book.ReceivedToday);

    private PoolContext ContextFor(PoolInfo pool, string strategy, IReadOnlyDictionary<string, string> options) => new()
    {
        PoolId = PoolId,
        OrgUnitId = pool.OrgUnitId,
        Options = options,
        StrategyState = Book.KeptState(strategy),
    };

    /// <summary>The lead stays in the pool; managers hear about it once per reason.</summary>
    private async Task<AssignmentAttempt> LeaveAsync(Guid customerId, string reason, List<string> faults)
    {
        var now = clock.GetUtcNow();
        var newReason = Book.Left(customerId, reason, now);
        await state.WriteStateAsync();
        if (newReason && await PoolAsync() is { } pool)
        {
            EventPublisher.Publish(GrainFactory, new LeadUnassigned(customerId, now, PoolId, reason), [PushChannels.Unit(pool.OrgUnitId)]);
        }

        return new(customerId, AssignmentAttempt.Unassigned, null, null, reason, faults);
    }

    private Task ForgetAsync(Guid customerId) => SaveIf(Book.Forget(customerId));

    private Task SaveIf(bool changed) => changed ? state.WriteStateAsync() : Task.CompletedTask;

    /// <summary>A reminder wakes the pool after a restart: batches keep their schedule and sweeps heal lost messages.</summary>
    private async Task ArmScheduleAsync()
    {
        if (AssignmentModes.ScheduleOf((await PoolAsync())?.Rules.Assignment) is { } period)
        {
            await this.RegisterOrUpdateReminder(ReminderName, period, period);
        }
        else if (await this.GetReminder(ReminderName) is { } existing)
        {
            await this.UnregisterReminder(existing);
        }
    }

    private Task<PoolInfo?> PoolAsync() => GrainFactory.GetGrain<IPoolGrain>(PoolId).Get();
}
