using Crm.Client;
using Crm.Grains.Pools;

namespace Crm.Grains.Reps;

/// <summary>
/// The deadlines of one private pool in a sorted structure. Each customer sits in the queue once, keyed by
/// its next wake-up: the next unsent warning, else the drop itself. A sweep pops only what is due, so its
/// cost follows the due customers, not the pool's size. Works on the rep grain's persisted dictionary;
/// the deadlines and the queue are derived from it and the pools' rules, and rebuilt on activation.
/// </summary>
public sealed class RecycleSchedule(Dictionary<Guid, OwnedCustomer> owned)
{
    private readonly Dictionary<Guid, (RecycleDeadline? Deadline, long Wake)> _scheduled = [];
    private readonly SortedSet<(long Wake, Guid Id)> _queue = [];
    private readonly Dictionary<string, PoolRuleSet> _rules = [];

    /// <summary>How long a taken customer may go without its facts reported before the sweep asks its grain.</summary>
    public static readonly TimeSpan FactsGrace = TimeSpan.FromMinutes(5);

    public IReadOnlyDictionary<Guid, OwnedCustomer> Owned => owned;

    public bool HasRules(string poolId) => _rules.ContainsKey(poolId);

    public IEnumerable<string> PoolIds => owned.Values.Select(o => o.PoolId).Distinct();

    /// <summary>The earliest time something is due, or null when nothing will ever drop.</summary>
    public DateTimeOffset? NextWake => _queue.Count == 0 ? null : new DateTimeOffset(_queue.Min.Wake, TimeSpan.Zero);

    /// <summary>
    /// The earliest deadline or warning, leaving out takes that wait for their facts (<see cref="FactsGrace"/>): those
    /// are reported moments after the take, so a wake-up for them is the timer's business; only a crash between take
    /// and commit leaves one behind, and the next look finds it.
    /// </summary>
    public DateTimeOffset? NextDeadlineWake
    {
        get
        {
            // Takes in flight are few (the rep grain runs one call at a time), so this stops after a step or two.
            foreach (var (wake, id) in _queue)
            {
                if (_scheduled[id].Deadline is not null)
                {
                    return new DateTimeOffset(wake, TimeSpan.Zero);
                }
            }

            return null;
        }
    }

    /// <summary>Sets a pool's rules and recomputes the deadlines of the customers from that pool.</summary>
    public void SetRules(string poolId, PoolRuleSet rules)
    {
        _rules[poolId] = rules;
        foreach (var id in owned.Values.Where(o => o.PoolId == poolId).Select(o => o.CustomerId).ToList())
        {
            Reschedule(id);
        }
    }

    /// <summary>Adds or replaces an entry; reports from an older customer version than the one held are ignored.</summary>
    public bool Put(OwnedCustomer entry)
    {
        if (owned.TryGetValue(entry.CustomerId, out var held))
        {
            if (held.Facts is { } had && entry.Facts is { } got && got.Version < had.Version)
            {
                return false;
            }

            entry = entry with { Warned = held.Warned, WarnedFor = held.WarnedFor, Facts = entry.Facts ?? held.Facts };
            if (entry == held)
            {
                return false;
            }
        }

        owned[entry.CustomerId] = entry;
        Reschedule(entry.CustomerId);
        return true;
    }

    public bool Remove(Guid id)
    {
        Unqueue(id);
        _scheduled.Remove(id);
        return owned.Remove(id);
    }

    /// <summary>
    /// Pops what is due at <paramref name="now"/>: warnings reached and not yet sent (marked sent here, so
    /// the caller persists before pushing), and customers past their deadline (out of the queue until
    /// <see cref="Settle"/> or a new report puts them back).
    /// </summary>
    public SweepPlan TakeDue(DateTimeOffset now)
    {
        var warnings = new List<RecycleWarningDue>();
        var recycle = new List<Guid>();
        while (_queue.Count > 0 && _queue.Min.Wake <= now.UtcTicks)
        {
            var (_, id) = _queue.Min;
            _queue.Remove(_queue.Min);
            var deadline = _scheduled[id].Deadline;
            _scheduled[id] = (deadline, -1);
            if (deadline is null || deadline.At <= now)
            {
                // Past its deadline, or taken without the facts ever reported: the customer grain decides.
                recycle.Add(id);
                continue;
            }

            var entry = owned[id];
            var sent = entry.Warned ?? [];
            var reached = RecycleRules.ReachedWarnings(deadline.At, now, _rules[entry.PoolId].WarnDaysBefore ?? []).Except(sent).ToList();
            if (reached.Count > 0)
            {
                owned[id] = entry with { Warned = [.. sent, .. reached], WarnedFor = deadline.At };
                warnings.Add(new RecycleWarningDue(id, deadline.At, (int)Math.Ceiling((deadline.At - now).TotalDays)));
            }

            Reschedule(id);
        }

        return new SweepPlan(warnings, recycle);
    }

    /// <summary>After a customer refused to recycle (not due any more): take its fresh facts and queue it again.</summary>
    public void Settle(Guid id, RecycleFacts facts)
    {
        if (owned.TryGetValue(id, out var held))
        {
            if (held.Facts is null || facts.Version >= held.Facts.Version)
            {
                owned[id] = held with { Facts = facts };
            }

            Reschedule(id);
        }
    }

    /// <summary>A customer whose grain could not be asked (it failed or timed out): due again at <paramref name="at"/>.</summary>
    public void Requeue(Guid id, DateTimeOffset at)
    {
        if (owned.ContainsKey(id))
        {
            Unqueue(id);
            _scheduled[id] = (_scheduled.GetValueOrDefault(id).Deadline, at.UtcTicks);
            _queue.Add((at.UtcTicks, id));
        }
    }

    /// <summary>The customers that drop before <paramref name="until"/>, soonest first.</summary>
    public IReadOnlyList<DueEntry> DueBefore(DateTimeOffset until) =>
        _scheduled
            .Where(s => s.Value.Deadline is { } d && d.At <= until)
            .Select(s => (Entry: owned[s.Key], Deadline: s.Value.Deadline!))
            .OrderBy(x => x.Deadline.At).ThenBy(x => x.Entry.CustomerId)
            .Select(x => new DueEntry(x.Entry.CustomerId, x.Entry.PoolId, x.Deadline.At, x.Deadline.Reason,
                x.Entry.WarnedFor == x.Deadline.At ? x.Entry.Warned ?? [] : [], x.Deadline.Rule))
            .ToList();

    private void Reschedule(Guid id)
    {
        Unqueue(id);
        var entry = owned[id];
        if (entry.Facts is null)
        {
            // Taken, but the customer never reported its facts (a crash between the two calls): ask it soon.
            var askAt = entry.Since.Add(FactsGrace).UtcTicks;
            _scheduled[id] = (null, askAt);
            _queue.Add((askAt, id));
            return;
        }

        var deadline = _rules.TryGetValue(entry.PoolId, out var rules) ? RecycleRules.DeadlineOf(entry.Facts, rules) : null;
        if (deadline is null)
        {
            _scheduled[id] = (null, -1);
            return;
        }

        if (entry.WarnedFor is { } warnedFor && warnedFor != deadline.At)
        {
            // The deadline moved (a follow-up, a deal, a rule change): its warnings start over.
            entry = owned[id] = entry with { Warned = null, WarnedFor = null };
        }

        var wake = deadline.At;
        var sent = entry.Warned ?? [];
        foreach (var days in _rules[entry.PoolId].WarnDaysBefore ?? [])
        {
            var warnAt = deadline.At.AddDays(-days);
            if (!sent.Contains(days) && warnAt < wake)
            {
                wake = warnAt;
            }
        }

        _scheduled[id] = (deadline, wake.UtcTicks);
        _queue.Add((wake.UtcTicks, id));
    }

    private void Unqueue(Guid id)
    {
        if (_scheduled.TryGetValue(id, out var s) && s.Wake >= 0)
        {
            _queue.Remove((s.Wake, id));
        }
    }
}
