using Crm.Grains.Dedup;
using Crm.Sdk;
using Microsoft.Extensions.Logging;

namespace Crm.Grains.Plugins;

/// <summary>
/// The host-side adapter between grains and plugin strategies. Every call runs on the thread pool (never on a
/// grain's scheduler, so a hanging plugin cannot freeze a grain) under a time budget; a throw, a timeout or an
/// invalid answer is recorded on the strategy's <see cref="StrategyHealth"/> and the named fallback answers instead.
/// </summary>
public sealed class StrategyRunner(IStrategyCatalog catalog, StrategyCallOptions options, ILogger<StrategyRunner> logger)
{
    // The budget is real elapsed time on purpose: business time (the injected TimeProvider) may be frozen in tests.
    private static readonly TimeProvider Wall = TimeProvider.System;

    /// <summary>Asks <paramref name="strategy"/> which rep gets the lead; on failure asks <paramref name="fallback"/>.</summary>
    public Task<StrategyOutcome<AssignmentDecision>> ChooseAsync(string strategy, string? fallback, AssignmentRequest request) =>
        RunAsync(strategy, fallback, catalog.RentAssignment, l => l.Strategy.Choose(request), decision => CheckDecision(decision, request));

    /// <summary>
    /// The errors <paramref name="strategy"/> finds in a pool's options (<see cref="IAssignmentOptionsValidator"/>), asked
    /// like any other call: on the thread pool under the budget, a throw, a timeout or no answer counted as its fault (the
    /// outcome then fails with it). No errors when no loaded strategy of that name checks options.
    /// </summary>
    public Task<StrategyOutcome<IReadOnlyDictionary<string, string>>> ValidateOptionsAsync(string strategy, IReadOnlyDictionary<string, string> options)
    {
        using (var lease = catalog.RentAssignment(strategy))
        {
            if (lease?.Strategy is not IAssignmentOptionsValidator)
            {
                return Task.FromResult(new StrategyOutcome<IReadOnlyDictionary<string, string>>(true, NoErrors, strategy, strategy, []));
            }
        }

        return RunAsync<IAssignmentStrategy, IReadOnlyDictionary<string, string>>(strategy, null, catalog.RentAssignment,
            l => l.Strategy is IAssignmentOptionsValidator validator ? validator.ValidateOptions(options) : NoErrors,
            errors => errors is null ? "returned no answer to the options check" : null);
    }

    private static readonly IReadOnlyDictionary<string, string> NoErrors = new Dictionary<string, string>();

    /// <summary>The blocking keys of a customer by <paramref name="strategy"/>; on failure by <paramref name="fallback"/>.</summary>
    public Task<StrategyOutcome<IReadOnlyList<BlockingKey>>> KeysAsync(string strategy, string? fallback, CustomerSnapshot customer) =>
        RunAsync<IDedupStrategy, IReadOnlyList<BlockingKey>>(strategy, fallback, _rentDedup,
            l => KeysOf(l.Strategy, customer), CheckKeys);

    /// <summary>
    /// The blocking keys of each of <paramref name="customers"/> by <paramref name="strategy"/>: the keys or a fault per
    /// customer, in their order, in calls of at most <see cref="ComparisonsPerCall"/> customers side by side, each under
    /// the time budget. A customer whose keys throw or are invalid is a fault of its own; a call past its budget, or
    /// skipped, is a fault of each customer it held. An import asks for the keys of a batch at once: a call per lead
    /// and strategy was two million thread-pool hops and budget timers for a million rows.
    /// </summary>
    public async Task<IReadOnlyList<StrategyAnswer<IReadOnlyList<BlockingKey>>>> KeysManyAsync(string strategy, IReadOnlyList<CustomerSnapshot> customers)
    {
        var answers = new StrategyAnswer<IReadOnlyList<BlockingKey>>[customers.Count];
        var calls = new List<Task>(customers.Count / ComparisonsPerCall + 1);
        for (var from = 0; from < customers.Count; from += ComparisonsPerCall)
        {
            calls.Add(KeysOfPartAsync(strategy, customers, answers, from, Math.Min(from + ComparisonsPerCall, customers.Count)));
        }

        await Task.WhenAll(calls);
        return answers;
    }

    private async Task KeysOfPartAsync(string strategy, IReadOnlyList<CustomerSnapshot> customers, StrategyAnswer<IReadOnlyList<BlockingKey>>[] answers,
        int start, int end)
    {
        // The call writes its own array: one past its budget may still be running when its part is answered with faults.
        var part = new StrategyAnswer<IReadOnlyList<BlockingKey>>[end - start];
        var outcome = await RunAsync<IDedupStrategy, bool>(strategy, null, _rentDedup,
            lease =>
            {
                for (var i = start; i < end; i++)
                {
                    part[i - start] = KeysOfOne(strategy, lease, customers[i]);
                }

                return true;
            }, _ => null);
        if (outcome.Succeeded)
        {
            Array.Copy(part, 0, answers, start, part.Length);
        }
        else
        {
            Array.Fill(answers, new StrategyAnswer<IReadOnlyList<BlockingKey>>([], string.Join("; ", outcome.Faults)), start, end - start);
        }
    }

    private StrategyAnswer<IReadOnlyList<BlockingKey>> KeysOfOne(string name, StrategyLease<IDedupStrategy> lease, CustomerSnapshot customer) =>
        Guarded<CustomerSnapshot, IReadOnlyList<BlockingKey>>(name, lease, customer, static (strategy, c) => KeysOf(strategy, c),
            CheckKeys, []);

    /// <summary>Compares two customers by <paramref name="strategy"/>; on failure by <paramref name="fallback"/>. A null value means "not a match".</summary>
    public Task<StrategyOutcome<MatchResult?>> CompareAsync(string strategy, string? fallback, CustomerSnapshot incoming, CustomerSnapshot existing) =>
        RunAsync<IDedupStrategy, MatchResult?>(strategy, fallback, _rentDedup,
            l => Clamp(l.Strategy.Compare(incoming, existing)), CheckMatch);

    /// <summary>
    /// Compares <paramref name="incoming"/> with each of <paramref name="existing"/>: a match or a fault per candidate, in
    /// their order, in calls of at most <see cref="ComparisonsPerCall"/> comparisons, each under the time budget. A
    /// comparison that throws or answers nonsense is a fault of its own candidate (counted on the strategy); a call
    /// past its budget, or skipped, is a fault of each candidate it held.
    /// </summary>
    public async Task<IReadOnlyList<StrategyAnswer<MatchResult?>>> CompareManyAsync(string strategy, CustomerSnapshot incoming,
        IReadOnlyList<CustomerSnapshot> existing)
    {
        // Each call fills its own part of one answer array: no array per part, no list to gather them (a lead has tens of
        // candidates, and a lead's answers were a tenth of what an import allocated).
        var answers = new StrategyAnswer<MatchResult?>[existing.Count];
        for (var from = 0; from < existing.Count; from += ComparisonsPerCall)
        {
            var (start, end, into) = (from, Math.Min(from + ComparisonsPerCall, existing.Count), answers);
            var outcome = await RunAsync<IDedupStrategy, bool>(strategy, null, _rentDedup,
                lease =>
                {
                    for (var i = start; i < end; i++)
                    {
                        into[i] = CompareOne(strategy, lease, incoming, existing[i]);
                    }

                    return true;
                }, _ => null);
            if (!outcome.Succeeded)
            {
                // Past its budget or skipped. A call past its budget may still be running and writing its part: the answers
                // go on in a copy, which it does not hold.
                answers = [.. answers];
                Array.Fill(answers, new StrategyAnswer<MatchResult?>(null, string.Join("; ", outcome.Faults)), start, end - start);
            }
        }

        return answers;
    }

    // Made once: the method group passed per call made a delegate each time.
    private readonly Func<string, StrategyLease<IDedupStrategy>?> _rentDedup = catalog.RentDedup;

    /// <summary>
    /// Most comparisons in one call of a dedup strategy: with the default budget of 1 s, 40 ms each. A lead has up to
    /// 200 candidates; a call (a thread-pool hop and a budget timer) per comparison cost more than the comparisons.
    /// </summary>
    public const int ComparisonsPerCall = 25;

    private StrategyAnswer<MatchResult?> CompareOne(string name, StrategyLease<IDedupStrategy> lease, CustomerSnapshot incoming, CustomerSnapshot existing) =>
        Guarded(name, lease, (incoming, existing), static (strategy, pair) => Clamp(strategy.Compare(pair.incoming, pair.existing)), CheckMatch, null);

    /// <summary>
    /// One customer's part of a batched call: its answer, or (a throw or an invalid answer) <paramref name="failed"/> with
    /// the fault, recorded on the strategy. The other customers of the call keep their answers. The call is static and
    /// its argument passed beside it: a closure per comparison would be tens of millions of objects in a 1M import.
    /// </summary>
    private StrategyAnswer<T> Guarded<TArg, T>(string name, StrategyLease<IDedupStrategy> lease, TArg arg, Func<IDedupStrategy, TArg, T> call,
        Func<T, string?> check, T failed)
    {
        string fault;
        try
        {
            var value = call(lease.Strategy, arg);
            if (check(value) is not { } invalid)
            {
                return new StrategyAnswer<T>(value);
            }

            fault = $"{name}: {invalid}";
        }
        catch (Exception exception)
        {
            fault = Threw(name, exception);
        }

        lease.Health.RecordFault(fault, Wall.GetUtcNow());
        logger.LogWarning("Strategy {Strategy} failed: {Fault}", name, fault);
        return new StrategyAnswer<T>(failed, fault);
    }

    private async Task<StrategyOutcome<TResult>> RunAsync<TStrategy, TResult>(
        string strategy,
        string? fallback,
        Func<string, StrategyLease<TStrategy>?> rent,
        Func<StrategyLease<TStrategy>, TResult> call,
        Func<TResult, string?> check)
        where TStrategy : class
    {
        // The strategy answering (nearly every call) allocates no list of faults.
        var (ok, value, fault) = await AttemptAsync(strategy, rent, call, check);
        if (ok)
        {
            return new StrategyOutcome<TResult>(true, value, strategy, strategy, []);
        }

        var faults = new List<string> { fault! };
        var fallsBack = fallback is not null && fallback != strategy;
        logger.LogWarning("Strategy {Strategy} failed: {Fault}{Next}", strategy, fault, fallsBack ? $"; falling back to {fallback}" : "");
        if (fallsBack)
        {
            (ok, value, fault) = await AttemptAsync(fallback!, rent, call, check);
            if (ok)
            {
                return new StrategyOutcome<TResult>(true, value, strategy, fallback, faults);
            }

            faults.Add(fault!);
            logger.LogWarning("Strategy {Strategy} failed: {Fault}{Next}", fallback, fault, "");
        }

        return new StrategyOutcome<TResult>(false, default, strategy, null, faults);
    }

    private async Task<(bool Ok, TResult? Value, string? Fault)> AttemptAsync<TStrategy, TResult>(
        string name,
        Func<string, StrategyLease<TStrategy>?> rent,
        Func<StrategyLease<TStrategy>, TResult> call,
        Func<TResult, string?> check)
        where TStrategy : class
    {
        var lease = rent(name);
        if (lease is null)
        {
            return (false, default, $"{name}: no loaded plugin offers this strategy");
        }

        var health = lease.Health;
        if (health.RunningPastBudget >= options.MaxCallsPastBudget)
        {
            lease.Dispose();
            var skipped = $"{name}: skipped, {health.RunningPastBudget} calls still running past their time budget";
            health.RecordFault(skipped, Wall.GetUtcNow());
            return (false, default, skipped);
        }

        health.RecordCall();
        var work = Task.Run(() => call(lease));
        try
        {
            var value = await work.WaitAsync(options.Budget, Wall);
            lease.Dispose();
            if (check(value) is { } invalid)
            {
                health.RecordFault($"{name}: {invalid}", Wall.GetUtcNow());
                return (false, default, $"{name}: {invalid}");
            }

            return (true, value, null);
        }
        catch (TimeoutException)
        {
            var fault = $"{name}: exceeded its time budget of {options.Budget.TotalMilliseconds:0} ms";
            health.RecordTimeout(fault, Wall.GetUtcNow());
            // The lease stays open until the call really returns: its plugin version must not unload under it.
            _ = work.ContinueWith(_ =>
            {
                health.RecordLateReturn();
                lease.Dispose();
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return (false, default, fault);
        }
        catch (Exception exception)
        {
            lease.Dispose();
            var fault = Threw(name, exception);
            health.RecordFault(fault, Wall.GetUtcNow());
            return (false, default, fault);
        }
    }

    /// <summary>
    /// A customer's distinct keys, enumerated no further than one past the limit: a strategy yielding keys without end
    /// (every n-gram of a long text) is refused by <see cref="CheckKeys"/> without the host holding them all.
    /// </summary>
    private static List<BlockingKey> KeysOf(IDedupStrategy strategy, CustomerSnapshot customer) =>
        (strategy.Keys(customer) ?? []).Distinct().Take(StrategyAnswerLimits.MaxKeysPerCustomer + 1).ToList();

    private static string? CheckDecision(AssignmentDecision? decision, AssignmentRequest request)
    {
        if (decision is null)
        {
            return "returned no decision";
        }

        // The reason goes to the customer's timeline and the state is kept per pool: an oversized one is never stored.
        if (decision.Reason is { Length: > StrategyAnswerLimits.MaxReasonLength } reason)
        {
            return $"returned a reason of {reason.Length} characters (at most {StrategyAnswerLimits.MaxReasonLength})";
        }

        if (decision.StrategyState is { Length: > StrategyAnswerLimits.MaxStrategyStateLength } state)
        {
            return $"returned a strategy state of {state.Length} characters (at most {StrategyAnswerLimits.MaxStrategyStateLength})";
        }

        if (decision.RepId is { } repId && !request.Candidates.Any(c => c.RepId == repId))
        {
            return $"chose rep '{repId}', who is not a candidate";
        }

        return null;
    }

    private static string Threw(string name, Exception exception) => $"{name}: threw {exception.GetType().Name}: {exception.Message}";

    private static string? CheckKeys(IReadOnlyList<BlockingKey> keys)
    {
        if (keys.Count > StrategyAnswerLimits.MaxKeysPerCustomer)
        {
            return $"returned more than {StrategyAnswerLimits.MaxKeysPerCustomer} blocking keys for one customer";
        }

        foreach (var key in keys)
        {
            if (CheckKey(key) is { } invalid)
            {
                return invalid;
            }
        }

        return null;
    }

    private static string? CheckKey(BlockingKey? key) =>
        key is null || string.IsNullOrEmpty(key.Kind) || string.IsNullOrEmpty(key.Value) ? "returned an empty blocking key" : Oversized(key);

    private static string? Oversized(BlockingKey key) => key switch
    {
        { Kind.Length: > StrategyAnswerLimits.MaxKeyKindLength } =>
            $"returned a blocking key kind longer than {StrategyAnswerLimits.MaxKeyKindLength} characters ({key.Kind.Length})",
        { Value.Length: > StrategyAnswerLimits.MaxKeyValueLength } =>
            $"returned a blocking key longer than {StrategyAnswerLimits.MaxKeyValueLength} characters ({key.Value.Length})",
        _ => null,
    };

    private static string? CheckMatch(MatchResult? match) => match switch
    {
        null => null,
        { Key: null } => "returned a match without a key or strength",
        _ when !Enum.IsDefined(match.Strength) => "returned a match without a key or strength",
        { Reason.Length: > StrategyAnswerLimits.MaxReasonLength } =>
            $"returned a match reason of {match.Reason.Length} characters (at most {StrategyAnswerLimits.MaxReasonLength})",
        _ => Oversized(match.Key),
    };

    private static MatchResult? Clamp(MatchResult? match) =>
        match is null ? null : match with { Score = double.IsNaN(match.Score) ? 0 : Math.Clamp(match.Score, 0, 1) };
}
