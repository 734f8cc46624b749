using Crm.Client;
using Microsoft.Extensions.Logging;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Pools;
using Crm.Grains.Push;

namespace Crm.Grains.Reps;

public sealed class RepGrain(
    [PersistentState("rep", "crm")] IPersistentState<RepState> state,
    PoolDirectory pools,
    TimeProvider clock,
    ILogger<RepGrain> logger) : Grain, IRepGrain, IRemindable
{
    public const string ReminderName = "recycle-sweep";

    /// <summary>How soon after activation the grain first looks at its queue (what fell due while it was not active).</summary>
    public static readonly TimeSpan FirstLookDelay = TimeSpan.FromSeconds(5);

    /// <summary>How long a customer whose grain could not be asked to recycle waits to be asked again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The longest an active grain sleeps with nothing due: it then reads its pools' rules again, in case a rule change
    /// did not reach it (<see cref="RulesChanged"/> is one-way).
    /// </summary>
    public static readonly TimeSpan LongestSleep = TimeSpan.FromDays(1);

    /// <summary>
    /// The reminder's period once its first tick (the next deadline) has passed: how late a due customer may drop when
    /// its rep grain was not active (deactivated, or its silo died and a survivor took the reminder over).
    /// </summary>
    public static readonly TimeSpan ReminderPeriod = TimeSpan.FromHours(1);

    // State writes are serialised: sweeps interleave with calls, and two writes in flight would clash on the ETag.
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Dictionary<string, long> _rulesVersions = [];
    private RecycleSchedule _schedule = null!;

    // One timer, armed for the schedule's next wake-up, so a day costs a look per deadline or warning, not one a minute.
    private IGrainTimer _wake = null!;
    private DateTimeOffset? _wakeArmedFor;

    // The first tick of the reminder this activation registered (null: none registered by it).
    private DateTimeOffset? _reminderFirstTick;
    private bool _mayHaveLeftoverReminder;
    private Task _lastSweep = Task.CompletedTask;

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
        await RefreshRulesAsync(_schedule.PoolIds.ToList());
        _wake = this.RegisterGrainTimer(_ => WakeAsync(),
            new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan) { Interleave = true, KeepAlive = false });
        ArmWake(FirstLookDelay);
        _flush = this.RegisterGrainTimer(_ => FlushFactsAsync(),
            new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan) { KeepAlive = false });
        // An idle grain checks once whether a reminder of an earlier activation is left to remove.
        _mayHaveLeftoverReminder = state.State.Owned.Count == 0;
        await KeepReminderAsync();
    }

    private Task WakeAsync()
    {
        _wakeArmedFor = null;
        return SweepAsync();
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
        await ScheduleChangedAsync();
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
        await ScheduleChangedAsync();
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

    // Asked for explicitly (an admin, a test): the pools' own rules, not this silo's copy, which may lag another silo's change by a poll.
    public Task<SweepReport> SweepNow() => SweepAsync(askPools: true);

    public async Task RulesChanged(string poolId, long version)
    {
        if (_rulesVersions.ContainsKey(poolId) || _schedule.PoolIds.Contains(poolId))
        {
            await EnsureRulesAsync(poolId, refresh: true, atLeast: version);
            await ScheduleChangedAsync();
        }
    }

    /// <summary>
    /// Sweeps run one after another (the timer's and an explicit one may meet): a sweep that returns has settled what
    /// was due when it started, rather than leaving a customer popped by a sweep still in flight.
    /// </summary>
    private Task<SweepReport> SweepAsync(bool askPools = false)
    {
        var sweep = SweepAfterAsync(_lastSweep, askPools);
        _lastSweep = sweep;
        return sweep;
    }

    private async Task<SweepReport> SweepAfterAsync(Task previous, bool askPools)
    {
        try
        {
            await previous;
        }
        catch
        {
            // The earlier sweep's failure was its caller's to see; this sweep starts afresh.
        }

        return await SweepOnceAsync(askPools);
    }

    /// <summary>
    /// One sweep. Idempotent: warnings are marked sent and persisted before they are pushed, so none goes out
    /// twice; a customer is only recycled by its own grain, which re-checks owner and deadline, so a sweep
    /// repeated after a crash finds it not ours any more and drops the stale entry instead.
    /// </summary>
    private async Task<SweepReport> SweepOnceAsync(bool askPools)
    {
        await RefreshRulesAsync(_rulesVersions.Keys.ToList(), askPools);
        var now = clock.GetUtcNow();
        var plan = _schedule.TakeDue(now);
        // Which stay of each customer the sweep asks about, read before anything awaits. Calls interleave while the sweep
        // waits: a customer recycled into a pool that assigns at once may be back here as a new entry, which must stay.
        var asked = plan.ToRecycle.ToDictionary(id => id, id => state.State.Owned.GetValueOrDefault(id)?.TakenAt);
        if (plan.IsEmpty)
        {
            await ScheduleChangedAsync();
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
        var retry = false;
        foreach (var (id, outcome) in outcomes)
        {
            switch (outcome?.Status)
            {
                case null:
                    _schedule.Requeue(id, now);
                    retry = true;
                    break;
                case RecycleStatus.Recycled:
                    recycled++;
                    RemoveIfStill(id, asked[id]);
                    break;
                case RecycleStatus.NotOwned:
                    stale++;
                    RemoveIfStill(id, asked[id]);
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

        // A customer that could not be asked stays due: the next sweep asks again, the timer's after RetryAfter.
        ArmWake(retry ? RetryAfter : TimeSpan.FromSeconds(1));
        await KeepReminderAsync();
        return new SweepReport(plan.Warnings.Count, recycled, stale, notDue);
    }

    /// <summary>Removes the customer's entry if it is still the stay taken at <paramref name="takenAt"/>, not a later one.</summary>
    private void RemoveIfStill(Guid id, long? takenAt)
    {
        if (state.State.Owned.GetValueOrDefault(id) is { } held && held.TakenAt == takenAt)
        {
            _schedule.Remove(id);
        }
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

    /// <summary>Reads the rules of the given pools from the silo's copy; a changed version recomputes their deadlines.</summary>
    private async Task RefreshRulesAsync(IReadOnlyList<string> poolIds, bool askPools = false)
    {
        foreach (var poolId in poolIds)
        {
            await EnsureRulesAsync(poolId, refresh: true, askPool: askPools);
        }
    }

    private async Task EnsureRulesAsync(string poolId, bool refresh = false, long atLeast = 0, bool askPool = false)
    {
        if (!refresh && _schedule.HasRules(poolId))
        {
            return;
        }

        var current = askPool ? await GrainFactory.GetGrain<IPoolGrain>(poolId).GetRules() : await pools.RulesAsync(poolId);
        if (current is not null && current.Version < atLeast)
        {
            // This silo has not seen the change yet (another silo made it less than a poll ago): ask the pool itself.
            pools.Forget(poolId);
            current = await pools.RulesAsync(poolId);
        }

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

    /// <summary>After anything that may move the next wake-up: the timer and the reminder follow it.</summary>
    private Task ScheduleChangedAsync()
    {
        ArmWake(TimeSpan.FromSeconds(1));
        return KeepReminderAsync();
    }

    /// <summary>
    /// Arms the timer for the next wake-up (at most <see cref="LongestSleep"/> away, at least <paramref name="notSooner"/>)
    /// when that is earlier than what it is armed for; a timer armed for later than needed would miss a deadline, one
    /// armed for sooner only costs a look.
    /// </summary>
    private void ArmWake(TimeSpan notSooner)
    {
        if (state.State.Owned.Count == 0)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var target = Later(Earlier(_schedule.NextWake ?? DateTimeOffset.MaxValue, now + LongestSleep), now + notSooner);
        if (_wakeArmedFor is { } armed && armed <= target)
        {
            return;
        }

        _wakeArmedFor = target;
        _wake.Change(target - now, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// Keeps one reminder while the grain owns customers, so that a deactivated grain, or one whose silo died, wakes for
    /// its next deadline: first tick at the next deadline or warning, then every <see cref="ReminderPeriod"/>. Registered
    /// again (a database write) only when it would fire more than a period after that, or two periods or more before it
    /// (ticks for nothing), so a busy private pool rewrites it seldom and a quiet one hears nothing from it all day.
    /// A take waiting for its facts does not move it: it would pull the reminder in at every claim and push it out again
    /// when the facts came a moment later, two writes per claim (<see cref="RecycleSchedule.NextDeadlineWake"/>).
    /// </summary>
    private async Task KeepReminderAsync()
    {
        if (state.State.Owned.Count == 0)
        {
            await ForgetReminderIfIdleAsync();
            return;
        }

        // The next deadline itself, not capped like the timer: the timer's daily look must not move the reminder each day.
        var now = clock.GetUtcNow();
        var wanted = _schedule.NextDeadlineWake ?? now + LongestSleep;
        if (_reminderFirstTick is { } first)
        {
            var nextTick = first > now ? first : first + ReminderPeriod * Math.Ceiling((now - first) / ReminderPeriod);
            if (nextTick <= wanted + ReminderPeriod && nextTick > wanted - 2 * ReminderPeriod)
            {
                return;
            }
        }

        var due = Later(wanted - now, TimeSpan.FromMinutes(1));
        _reminderFirstTick = now + due;
        _mayHaveLeftoverReminder = false;
        await this.RegisterOrUpdateReminder(ReminderName, due, ReminderPeriod);
    }

    private async Task ForgetReminderIfIdleAsync()
    {
        if (_reminderFirstTick is not null || _mayHaveLeftoverReminder)
        {
            _reminderFirstTick = null;
            _mayHaveLeftoverReminder = false;
            if (await this.GetReminder(ReminderName) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }
        }
    }

    private static DateTimeOffset Earlier(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static T Later<T>(T a, T b) where T : IComparable<T> => a.CompareTo(b) >= 0 ? a : b;

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
