using Crm.Client;
using Microsoft.Extensions.Logging;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Pools;
using Crm.Grains.Push;

namespace Crm.Grains.Reps;

public sealed class RepGrain(
    [PersistentState("rep", "crm")] IPersistentState<RepState> state,
    TimeProvider clock,
    ILogger<RepGrain> logger) : Grain, IRepGrain, IRemindable
{
    public const string ReminderName = "recycle-sweep";

    /// <summary>How often an active rep grain looks at its queue; a look costs one comparison when nothing is due.</summary>
    public static readonly TimeSpan SweepPeriod = TimeSpan.FromMinutes(1);

    /// <summary>How often the reminder wakes a deactivated rep grain that still owns customers.</summary>
    public static readonly TimeSpan ReminderPeriod = TimeSpan.FromHours(1);

    // State writes are serialised: sweeps interleave with calls, and two writes in flight would clash on the ETag.
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Dictionary<string, long> _rulesVersions = [];
    private RecycleSchedule _schedule = null!;
    private bool _reminderRegistered;
    private bool _mayHaveLeftoverReminder;

    /// <summary>How long new recycle facts may stay unsaved (see <see cref="Track"/>).</summary>
    public static readonly TimeSpan FactsFlushPeriod = TimeSpan.FromSeconds(10);

    private bool _unsavedFacts;

    // Armed once each time facts become unsaved, never periodic: a periodic timer would tick thousands of times when a
    // test's fake clock jumps days ahead, for nothing.
    private IGrainTimer _flush = null!;
    private bool _flushArmed;

    /// <summary>See <see cref="PrivatePoolVersion"/>; memory only, so it starts anywhere rather than at a value an earlier activation used.</summary>
    private long _privatePoolVersion = Random.Shared.NextInt64();

    private string RepId => this.GetPrimaryKeyString();

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => FlushFactsAsync();

    private Task FlushFactsAsync()
    {
        _flushArmed = false;
        return _unsavedFacts ? WriteAsync() : Task.CompletedTask;
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _schedule = new RecycleSchedule(state.State.Owned);
        await RefreshRulesAsync();
        this.RegisterGrainTimer(_ => SweepAsync(), new GrainTimerCreationOptions(TimeSpan.FromSeconds(5), SweepPeriod)
        {
            Interleave = true,
            KeepAlive = false,
        });
        _flush = this.RegisterGrainTimer(_ => FlushFactsAsync(),
            new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan) { KeepAlive = false });
        // An idle grain checks once whether a reminder of an earlier activation is left to remove.
        _mayHaveLeftoverReminder = state.State.Owned.Count == 0;
        await EnsureReminderAsync();
    }

    // The reminder only has to wake the grain: activation starts the timer, whose first tick sweeps.
    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    public async Task<CrmError?> TryTake(Guid customerId, string poolId, OwnershipLimits limits, bool countsAsClaim, long version)
    {
        _privatePoolVersion++;
        var s = state.State;
        if (s.Owned.ContainsKey(customerId))
        {
            return null;
        }

        var now = clock.GetUtcNow();
        if (limits.CapacityPerRep is { } capacity && s.Owned.Count >= capacity)
        {
            return CrmError.Conflict(ErrorCodes.CapacityFull,
                $"The rep already owns {s.Owned.Count} customers; the pool allows {capacity}.",
                new() { ["repId"] = RepId, ["capacity"] = capacity.ToString() });
        }

        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (s.ClaimDay != today)
        {
            s.ClaimDay = today;
            s.ClaimsToday.Clear();
        }

        var claimed = s.ClaimsToday.GetValueOrDefault(poolId);
        if (countsAsClaim && limits.ClaimsPerRepPerDay is { } perDay && claimed >= perDay)
        {
            return CrmError.Conflict(ErrorCodes.ClaimLimit,
                $"The rep has made {claimed} claims from this pool today; the pool allows {perDay} a day.",
                new() { ["repId"] = RepId, ["poolId"] = poolId, ["limit"] = perDay.ToString() });
        }

        if (countsAsClaim)
        {
            s.ClaimsToday[poolId] = claimed + 1;
        }

        // Check and insert without an await in between: a concurrent take cannot slip past the capacity.
        _schedule.Put(new OwnedCustomer(customerId, poolId, now, TakenAt: version));
        await WriteAsync();
        await EnsureRulesAsync(poolId);
        await EnsureReminderAsync();
        return null;
    }

    public async Task Track(Guid customerId, string poolId, RecycleFacts facts, bool adopt = false)
    {
        _privatePoolVersion++; // the customer committed a change, whether or not this index follows it
        var held = state.State.Owned.GetValueOrDefault(customerId);
        if (held is null && !adopt)
        {
            return; // a late report of a customer that has left: it must not come back
        }

        var entry = held is null
            ? new OwnedCustomer(customerId, poolId, facts.OwnedSince, facts, TakenAt: facts.Version)
            : held with { PoolId = poolId, Facts = facts };
        if (_schedule.Put(entry))
        {
            // New facts only ever move a deadline later, and the customer grain re-checks before it recycles, so they
            // may wait for the next flush; a new entry may not.
            if (held is null)
            {
                await WriteAsync();
            }
            else
            {
                _unsavedFacts = true;
                if (!_flushArmed)
                {
                    _flushArmed = true;
                    _flush.Change(FactsFlushPeriod, Timeout.InfiniteTimeSpan);
                }
            }
        }

        await EnsureRulesAsync(poolId);
        await EnsureReminderAsync();
    }

    public async Task Drop(Guid customerId, long? version = null)
    {
        _privatePoolVersion++;
        if (version is { } at && state.State.Owned.GetValueOrDefault(customerId) is { } held
            && Math.Max(held.TakenAt, held.Facts?.Version ?? 0) > at)
        {
            return; // taken again since: this drop is late
        }

        if (_schedule.Remove(customerId))
        {
            await WriteAsync();
        }
    }

    public async Task GiveBack(Guid customerId, string poolId, bool countedAsClaim, long version)
    {
        _privatePoolVersion++;
        var s = state.State;
        if (s.Owned.GetValueOrDefault(customerId) is not { } held || held.TakenAt != version)
        {
            return;
        }

        _schedule.Remove(customerId);
        if (countedAsClaim && s.ClaimDay == DateOnly.FromDateTime(held.Since.UtcDateTime) && s.ClaimsToday.GetValueOrDefault(poolId) is > 0 and var claimed)
        {
            s.ClaimsToday[poolId] = claimed - 1;
        }

        await WriteAsync();
    }

    public Task<IReadOnlyList<OwnedCustomer>> GetOwned() =>
        Task.FromResult<IReadOnlyList<OwnedCustomer>>(state.State.Owned.Values.OrderBy(o => o.Since).ToList());

    public Task<long> PrivatePoolVersion() => Task.FromResult(_privatePoolVersion);

    public Task<IReadOnlyList<DueEntry>> GetDue(double days) =>
        Task.FromResult(_schedule.DueBefore(clock.GetUtcNow().AddDays(days)));

    public Task<SweepReport> SweepNow() => SweepAsync();

    /// <summary>
    /// One sweep. Idempotent: warnings are marked sent and persisted before they are pushed, so none goes out
    /// twice; a customer is only recycled by its own grain, which re-checks owner and deadline, so a sweep
    /// repeated after a crash finds it not ours any more and drops the stale entry instead.
    /// </summary>
    private async Task<SweepReport> SweepAsync()
    {
        await RefreshRulesAsync();
        var now = clock.GetUtcNow();
        var plan = _schedule.TakeDue(now);
        if (plan.IsEmpty)
        {
            await ForgetReminderIfIdleAsync();
            return new SweepReport(0, 0, 0, 0);
        }

        if (plan.Warnings.Count > 0)
        {
            await WriteAsync();
            foreach (var warning in plan.Warnings)
            {
                EventPublisher.Publish(GrainFactory,
                    new RecycleWarning(warning.CustomerId, now, RepId, warning.DropsAt, warning.DaysLeft), [PushChannels.Rep(RepId)]);
            }
        }

        var outcomes = await Task.WhenAll(plan.ToRecycle.Select(AskToRecycleAsync));
        int recycled = 0, stale = 0, notDue = 0;
        foreach (var (id, outcome) in outcomes)
        {
            switch (outcome?.Status)
            {
                case null:
                    _schedule.Requeue(id, now);
                    break;
                case RecycleStatus.Recycled:
                    recycled++;
                    _schedule.Remove(id);
                    break;
                case RecycleStatus.NotOwned:
                    stale++;
                    _schedule.Remove(id);
                    break;
                default:
                    notDue++;
                    _schedule.Settle(id, outcome.Facts!);
                    break;
            }
        }

        if (outcomes.Length > 0)
        {
            await WriteAsync();
        }

        return new SweepReport(plan.Warnings.Count, recycled, stale, notDue);
    }

    /// <summary>Asks a customer to recycle itself; a failure (its commit failed, the call timed out) answers null, to ask again.</summary>
    private async Task<(Guid Id, RecycleOutcome? Outcome)> AskToRecycleAsync(Guid id)
    {
        try
        {
            return (id, await GrainFactory.GetGrain<ICustomerGrain>(id).Recycle(RepId));
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Rep {RepId}: customer {CustomerId} could not be recycled now; the next sweep asks again", RepId, id);
            return (id, null);
        }
    }

    /// <summary>Fetches the rules of every pool we hold customers from; a changed version recomputes their deadlines.</summary>
    private async Task RefreshRulesAsync()
    {
        foreach (var poolId in _schedule.PoolIds.ToList())
        {
            await EnsureRulesAsync(poolId, refresh: true);
        }
    }

    private async Task EnsureRulesAsync(string poolId, bool refresh = false)
    {
        if (!refresh && _schedule.HasRules(poolId))
        {
            return;
        }

        var current = await GrainFactory.GetGrain<IPoolGrain>(poolId).GetRules();
        if (current is null)
        {
            return;
        }

        if (!_rulesVersions.TryGetValue(poolId, out var version) || version != current.Version || !_schedule.HasRules(poolId))
        {
            _rulesVersions[poolId] = current.Version;
            _schedule.SetRules(poolId, current.Rules);
        }
    }

    private async Task EnsureReminderAsync()
    {
        if (!_reminderRegistered && state.State.Owned.Count > 0)
        {
            _reminderRegistered = true;
            _mayHaveLeftoverReminder = false;
            await this.RegisterOrUpdateReminder(ReminderName, ReminderPeriod, ReminderPeriod);
        }
    }

    private async Task ForgetReminderIfIdleAsync()
    {
        if (state.State.Owned.Count == 0 && (_reminderRegistered || _mayHaveLeftoverReminder))
        {
            _reminderRegistered = false;
            _mayHaveLeftoverReminder = false;
            if (await this.GetReminder(ReminderName) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }
        }
    }

    private async Task WriteAsync()
    {
        await _writeLock.WaitAsync();
        try
        {
            _unsavedFacts = false;
            await state.WriteStateAsync();
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
