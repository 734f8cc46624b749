using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Org;
using Crm.Grains.Plugins;
using Crm.Grains.Pools;
using Crm.Grains.Push;
using Crm.Grains.Storage;
using Crm.Sdk;
using Microsoft.Extensions.Logging;

namespace Crm.Grains.Assignment;

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
    private const int SimulationLimit = 10_000;
    // The roster is re-read at most this often; between reads the grain counts its own assignments, and the rep
    // grain refuses anything beyond capacity anyway.
    private static readonly TimeSpan RosterTtl = TimeSpan.FromSeconds(30);

    private readonly RepRoster _roster = new(database);
    private IReadOnlyList<RosterRep> _team = [];
    private readonly Dictionary<string, string?> _regionPaths = [];
    private Dictionary<string, (int Owned, int Won)> _loads = [];
    private readonly HashSet<string> _full = [];
    private long _rosterReadAt = long.MinValue;

    private AssignmentState S => state.State;

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

    public async Task<SimulationResult> Simulate(string strategy, IReadOnlyDictionary<string, string> options,
        IReadOnlyList<CustomerSnapshot>? leads, int? lastDays)
    {
        var pool = await PoolAsync() ?? throw new InvalidOperationException($"Pool '{PoolId}' does not exist.");
        var now = clock.GetUtcNow();
        var protectedReps = new Dictionary<string, IReadOnlyList<string>>();
        if (leads is null)
        {
            var since = UnixTime.ToMs(now.AddDays(-(lastDays ?? 30)));
            var found = new List<CustomerSnapshot>();
            foreach (var id in await _roster.EnteredSinceAsync(PoolId, since, SimulationLimit))
            {
                if (await GrainFactory.GetGrain<ICustomerGrain>(id).GetAssignmentLead() is { } lead)
                {
                    found.Add(lead.Snapshot);
                    protectedReps[lead.Snapshot.Id] = lead.ProtectedReps;
                }
            }

            leads = found;
        }

        await EnsureRosterAsync(force: true);
        var candidates = Candidates(pool, new HashSet<string>(), null).ToDictionary(c => c.RepId);
        var before = candidates.Values.ToDictionary(c => c.RepId, c => c.OwnedCount);
        var received = candidates.Keys.ToDictionary(k => k, _ => 0);
        var decisions = new List<SimulatedDecision>(leads.Count);
        var faults = new List<string>();
        var strategyState = S.StrategyStates.GetValueOrDefault(strategy);
        var fallback = pool.Rules.Assignment?.Fallback ?? AssignmentModes.DefaultFallback;
        foreach (var lead in leads)
        {
            var locked = protectedReps.GetValueOrDefault(lead.Id) ?? [];
            var request = new AssignmentRequest
            {
                Lead = lead,
                Candidates = candidates.Values.Where(c => !locked.Contains(c.RepId)).OrderBy(c => c.RepId, StringComparer.Ordinal).ToList(),
                Pool = new PoolContext { PoolId = PoolId, OrgUnitId = pool.OrgUnitId, Options = options, StrategyState = strategyState },
                Now = now,
            };
            var outcome = await runner.ChooseAsync(strategy, fallback, request);
            faults.AddRange(outcome.Faults);
            if (outcome is not { Succeeded: true, Value: { } decision })
            {
                decisions.Add(new SimulatedDecision(lead.Id, lead.Name, null, "no strategy could decide", null));
                continue;
            }

            if (!outcome.FellBack)
            {
                strategyState = decision.StrategyState;
            }

            decisions.Add(new SimulatedDecision(lead.Id, lead.Name, decision.RepId, decision.Reason, outcome.UsedStrategy));
            if (decision.RepId is { } repId)
            {
                var rep = candidates[repId];
                candidates[repId] = rep with { OwnedCount = rep.OwnedCount + 1, ReceivedToday = rep.ReceivedToday + 1 };
                received[repId]++;
            }
        }

        var shares = received.OrderBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => new RepShare(r.Key, r.Value, before[r.Key], candidates[r.Key].OwnedCount)).ToList();
        var assigned = decisions.Count(d => d.RepId is not null);
        return new SimulationResult(strategy, leads.Count, assigned, leads.Count - assigned, Spread(shares), decisions, shares,
            faults.Distinct().Take(20).ToList());
    }

    public async Task<AssignmentStatusDto> GetStatus()
    {
        var pool = await PoolAsync();
        return new AssignmentStatusDto(PoolId, pool?.Rules.Assignment, S.Assigned, S.FellBack, S.Pending.Count, S.LastFault, S.LastFaultAt,
            S.Unassigned.OrderBy(u => u.Value.Since).Select(u => new UnassignedLead(u.Key, u.Value.Reason, u.Value.Since)).ToList());
    }

    public async Task RulesChanged()
    {
        _rosterReadAt = long.MinValue;
        await ArmScheduleAsync();
    }

    public Task RosterChanged()
    {
        _rosterReadAt = long.MinValue;
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

    public static int Spread(IReadOnlyCollection<RepShare> shares) =>
        shares.Count == 0 ? 0 : shares.Max(s => s.Received) - shares.Min(s => s.Received);

    private async Task<AssignmentAttempt> AssignOneAsync(Guid customerId, string trigger, PoolDto pool, AssignmentRule rule)
    {
        var lead = await GrainFactory.GetGrain<ICustomerGrain>(customerId).GetAssignmentLead();
        if (lead is null || lead.PoolId != PoolId || lead.OwnerId is not null || !lead.IsOpen)
        {
            var why = lead is null ? "the customer does not exist"
                : lead.PoolId != PoolId ? "the customer is in another pool"
                : lead.OwnerId is not null ? $"already owned by {lead.OwnerId}"
                : $"stage {lead.Stage.ToString().ToLowerInvariant()} is not assigned automatically";
            await ForgetAsync(customerId);
            return new(customerId, AssignmentAttempt.Skipped, lead?.OwnerId, null, why, []);
        }

        await EnsureRosterAsync();
        var excluded = new HashSet<string>(lead.ProtectedReps, StringComparer.Ordinal);
        var regionPath = await RegionPathAsync(lead.RegionUnitId);
        var fallback = rule.Fallback ?? AssignmentModes.DefaultFallback;
        var faults = new List<string>();
        var refusals = new List<string>();
        for (var attempt = 0; attempt < MaxTries; attempt++)
        {
            var candidates = Candidates(pool, excluded, regionPath);
            if (candidates.Count == 0)
            {
                var why = _team.Count == 0 ? "the pool's team has no reps"
                    : excluded.Count > 0 && refusals.Count == 0 ? "every rep on duty is blocked by reclaim protection"
                    : regionPath is not null ? "no rep on duty covers the customer's region"
                    : "no rep of the team is on duty";
                return await LeaveAsync(customerId, string.Join("; ", refusals.Append(why)), faults);
            }

            var request = new AssignmentRequest
            {
                Lead = lead.Snapshot,
                Candidates = candidates,
                Pool = new PoolContext
                {
                    PoolId = PoolId,
                    OrgUnitId = pool.OrgUnitId,
                    Options = rule.Options ?? new Dictionary<string, string>(),
                    StrategyState = S.StrategyStates.GetValueOrDefault(rule.Strategy),
                },
                Now = clock.GetUtcNow(),
            };
            var outcome = await runner.ChooseAsync(rule.Strategy, fallback, request);
            if (outcome.Faults.Count > 0)
            {
                faults.AddRange(outcome.Faults);
                S.LastFault = outcome.Faults[^1];
                S.LastFaultAt = clock.GetUtcNow();
            }

            if (outcome is not { Succeeded: true, Value: { } decision })
            {
                return await LeaveAsync(customerId, "no strategy could decide: " + string.Join("; ", outcome.Faults), faults);
            }

            if (!outcome.FellBack && decision.StrategyState is { } kept)
            {
                S.StrategyStates[rule.Strategy] = kept;
            }

            if (decision.RepId is not { } repId)
            {
                return await LeaveAsync(customerId, decision.Reason, faults);
            }

            var reason = outcome.FellBack ? $"{decision.Reason} (fallback: {rule.Strategy} failed)" : decision.Reason;
            var note = new AssignmentNote(outcome.UsedStrategy!, reason, trigger, outcome.FellBack, Actor.System.UserId);
            var result = await GrainFactory.GetGrain<ICustomerGrain>(customerId).AssignByRule(repId, note);
            if (result.Ok)
            {
                await RecordAssignedAsync(customerId, repId, outcome.FellBack);
                return new(customerId, AssignmentAttempt.Assigned, repId, outcome.UsedStrategy, reason, faults);
            }

            switch (result.Error!.Code)
            {
                case ErrorCodes.CapacityFull:
                    // Our count was behind (a claim, another pool): the rep is full until the roster is read again.
                    _full.Add(repId);
                    excluded.Add(repId);
                    refusals.Add($"{repId} is at capacity");
                    continue;
                case ErrorCodes.ReclaimProtected or ErrorCodes.NotAPoolMember or ErrorCodes.OutOfRegion or ErrorCodes.RepUnavailable:
                    // The roster was behind the org tree or the lead's history: skip the rep for this lead.
                    excluded.Add(repId);
                    refusals.Add($"{repId}: {result.Error.Code}");
                    continue;
                case ErrorCodes.AlreadyOwned:
                    await ForgetAsync(customerId);
                    return new(customerId, AssignmentAttempt.Skipped, null, outcome.UsedStrategy, result.Error.Message, faults);
                default:
                    return await LeaveAsync(customerId, result.Error.Message, faults);
            }
        }

        return await LeaveAsync(customerId, string.Join("; ", refusals), faults);
    }

    private List<RepCandidate> Candidates(PoolDto pool, IReadOnlySet<string> excluded, string? regionPath)
    {
        RollDay();
        var capacity = pool.Rules.CapacityPerRep;
        var list = new List<RepCandidate>(_team.Count);
        foreach (var member in _team)
        {
            // The host enforces duty, reclaim protection and regions itself, so strategies never see such reps.
            var rep = member.Profile;
            if (!member.TakesLeads || excluded.Contains(rep.RepId) || (regionPath is not null && !OrgPaths.Reaches(regionPath, member.OrgUnitPath)))
            {
                continue;
            }

            // A pool may give a rep its own capacity (capacityOverrides).
            var own = pool.Rules.CapacityOverrides?.GetValueOrDefault(rep.RepId) is > 0 and var o ? o : capacity;
            var load = _loads.GetValueOrDefault(rep.RepId);
            if (_full.Contains(rep.RepId) && own is { } c)
            {
                load.Owned = Math.Max(load.Owned, c);
            }
            else if (_full.Contains(rep.RepId))
            {
                continue;
            }

            list.Add(RepRoster.ToCandidate(rep, load, own, S.ReceivedToday.GetValueOrDefault(rep.RepId)));
        }

        return list;
    }

    private async Task EnsureRosterAsync(bool force = false)
    {
        var now = Environment.TickCount64;
        if (!force && _rosterReadAt != long.MinValue && now - _rosterReadAt < RosterTtl.TotalMilliseconds)
        {
            return;
        }

        var pool = await PoolAsync();
        var access = await GrainFactory.GetGrain<IPoolGrain>(PoolId).GetAccess();
        var poolPath = pool is null ? null : await GrainFactory.GetGrain<IOrgTreeGrain>(0).PathOf(pool.OrgUnitId);
        // Members only: a pool that lists its members admits just them, else the reps of its unit's subtree.
        _team = pool is null || access is null ? [] : (await _roster.TeamAsync(pool.OrgUnitId))
            .Where(r => OrgPaths.IsPoolMember(r.RepId, r.OrgUnitPath, poolPath, access.Members)).ToList();
        _regionPaths.Clear();
        _loads = new Dictionary<string, (int, int)>(await _roster.LoadsAsync(_team.Select(r => r.RepId).ToList()));
        _full.Clear();
        _rosterReadAt = now;
    }

    private async Task RecordAssignedAsync(Guid customerId, string repId, bool fellBack)
    {
        var load = _loads.GetValueOrDefault(repId);
        _loads[repId] = (load.Owned + 1, load.Won);
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

    private async Task<string?> RegionPathAsync(string? regionUnitId)
    {
        if (regionUnitId is null)
        {
            return null;
        }

        if (!_regionPaths.TryGetValue(regionUnitId, out var path))
        {
            path = await GrainFactory.GetGrain<IOrgTreeGrain>(0).PathOf(regionUnitId);
            _regionPaths[regionUnitId] = path;
        }

        return path;
    }

    private Task<PoolDto?> PoolAsync() => GrainFactory.GetGrain<IPoolGrain>(PoolId).Get();

    private static string Mode(AssignmentRule rule) => rule.Mode ?? AssignmentModes.Immediate;
}
