using Crm.Grains.Plugins;
using Crm.Grains.Pools;
using Crm.Sdk;

namespace Crm.Grains.Assignment;

/// <summary>
/// What an assignment grain keeps about its pool (<see cref="AssignmentState"/>): leads queued for the next batch, leads
/// no rep could take and why, what each rep received today, the counters, each strategy's kept state and the last
/// fault. Plain book-keeping without I/O: the grain writes the state when a method says it changed.
/// </summary>
public sealed class AssignmentBook(AssignmentState state, TimeProvider clock)
{
    /// <summary>Queues leads for the next batch, each once; true when any was new.</summary>
    public bool Queue(IEnumerable<Guid> customerIds)
    {
        var waiting = state.Pending.ToHashSet();
        var added = customerIds.Where(waiting.Add).ToList();
        state.Pending.AddRange(added);
        return added.Count > 0;
    }

    /// <summary>The leads a batch looks at: the queued ones, then those <paramref name="swept"/> from the pool, each once.</summary>
    public List<Guid> BatchOf(IEnumerable<Guid> swept) => state.Pending.Concat(swept).Distinct().ToList();

    /// <summary>Empties the queue after a batch; true when it held any lead.</summary>
    public bool ClearQueue()
    {
        var had = state.Pending.Count > 0;
        state.Pending.Clear();
        return had;
    }

    /// <summary>Leads handed to each rep today (UTC); a new day starts from none.</summary>
    public IReadOnlyDictionary<string, int> ReceivedToday
    {
        get
        {
            RollDay();
            return state.ReceivedToday;
        }
    }

    /// <summary>The state <paramref name="strategy"/> asked to keep for this pool (a round-robin cursor).</summary>
    public string? KeptState(string strategy) => state.StrategyStates.GetValueOrDefault(strategy);

    /// <summary>Records a strategy's faults (the last one is shown) and the state it asks to keep, unless a fallback decided.</summary>
    public void Decided(string strategy, StrategyOutcome<AssignmentDecision> outcome)
    {
        if (outcome.Faults.Count > 0)
        {
            state.LastFault = outcome.Faults[^1];
            state.LastFaultAt = clock.GetUtcNow();
        }

        if (outcome is { Succeeded: true, FellBack: false, Value.StrategyState: { } kept })
        {
            state.StrategyStates[strategy] = kept;
        }
    }

    public void Assigned(Guid customerId, string repId, bool fellBack)
    {
        RollDay();
        state.ReceivedToday[repId] = state.ReceivedToday.GetValueOrDefault(repId) + 1;
        state.Assigned++;
        state.FellBack += fellBack ? 1 : 0;
        state.Unassigned.Remove(customerId);
        state.Pending.Remove(customerId);
    }

    /// <summary>The lead stays in the pool for <paramref name="reason"/>; true when the reason is new (managers hear once per reason).</summary>
    public bool Left(Guid customerId, string reason, DateTimeOffset now)
    {
        var known = state.Unassigned.GetValueOrDefault(customerId);
        state.Unassigned[customerId] = new UnassignedEntry(reason, known?.Since ?? now);
        state.Pending.Remove(customerId);
        return known?.Reason != reason;
    }

    /// <summary>The lead is not this pool's to assign any more; true when it was queued or waiting.</summary>
    public bool Forget(Guid customerId) => state.Unassigned.Remove(customerId) | state.Pending.Remove(customerId);

    public AssignmentStatus Status(string poolId, AssignmentSettings? rule) => new(poolId, rule, state.Assigned, state.FellBack,
        state.Pending.Count, state.LastFault, state.LastFaultAt,
        state.Unassigned.OrderBy(u => u.Value.Since).Select(u => new WaitingLead(u.Key, u.Value.Reason, u.Value.Since)).ToList());

    private void RollDay()
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (state.ReceivedDay != today)
        {
            state.ReceivedDay = today;
            state.ReceivedToday.Clear();
        }
    }
}
