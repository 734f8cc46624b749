using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Customers.Batch;
using Crm.Grains.Customers.Events;
using Crm.Grains.Dedup;
using Crm.Grains.Dedup.Pending;
using Crm.Grains.Pools;
using Crm.Grains.Push;
using Crm.Sdk;
using Crm.Server.Api.Customers;
using Microsoft.Extensions.Options;

namespace Crm.Server.Api.Dedup;

/// <summary>
/// Imports a file in batches of <see cref="ImportOptions.BatchRows"/> rows, each batch at once: the dedup gate reserves
/// and decides the batch with one call per index shard (<see cref="BatchGate"/>, the file's own duplicates in file
/// order), the customers it lets through are stored in one transaction without activating their grains
/// (<see cref="CustomerBatchCreator"/>), the index is settled with one call per shard, and the outbox entries are
/// delivered in bulk. Each row's result goes to <c>emit</c> in file order as soon as its batch is done. With an
/// idempotency key every row's customer id is derived from (pool, key, row number, row content), as in
/// <see cref="CustomerImporter"/>: a retry finds the customers already stored and answers them as created, so each
/// row is decided once whatever point an earlier attempt reached (a crash included).
/// </summary>
public sealed class BatchImporter(
    DedupGate dedup, BatchGate gate, CustomerBatchCreator creator, StoredCustomers storedCustomers, CustomerBatchDelivery delivery, DedupIndexWarmUp index,
    IGrainFactory grains, TimeProvider clock, IOptions<ImportOptions> options, ILogger<BatchImporter> logger)
{
    public async Task<ImportTotals> ImportAsync(ImportTable table, ImportColumns columns, PoolInfo pool, string? idempotencyKey,
        Actor actor, Func<IReadOnlyList<ImportRowResult>, Task> emit, CancellationToken cancellationToken)
    {
        var importId = CustomerImporter.ImportIdOf(pool, idempotencyKey, actor);
        var rule = CustomerImporter.RuleOf(pool, dedup);
        var totals = new ImportTotals(importId, table.Rows.Count);
        var rowOf = new Dictionary<Guid, int>();
        var (deciding, writing, delivering) = (new ImportPhases(), new ImportPhases(), new ImportPhases());
        var prepared = table.Rows.Select(r => CustomerImporter.Prepare(r, columns, pool, importId)).ToList();
        // Rows an earlier attempt stored are looked for batch by batch only when it stored any: a first attempt (most
        // imports) has none, and a million point look-ups cost its deciding stage 8 s. An attempt running beside this one
        // that stores a row first is still answered: the store finds it there (BatchStored.Already).
        var (firstId, lastId) = ImportRowIds.RangeOf(importId);
        var retry = idempotencyKey is not null && await storedCustomers.AnyBetweenAsync(firstId, lastId);
        // A retry answers a stored row the flags stored with it, but those against a later row (the other side of that
        // row's flag) are that row's answer: each row's number by its id tells them apart.
        var numberOf = retry ? prepared.Where(r => r.Request is not null).ToDictionary(r => r.Id, r => r.Number) : null;
        // The ids of the rows not imported yet: a reservation of one of them can only be an earlier attempt's.
        var later = prepared.Where(r => r.Request is not null).Select(r => r.Id).ToHashSet();
        // A batch calls every shard at once: shards still loading (a restarted server) are loaded first, a few at a time,
        // rather than all together inside the batch's calls and their timeout.
        await index.LoadAllAsync(cancellationToken);
        deciding.Lap("prepare");

        // Three batches at a time: batch n+1 is decided (keys, checks, the index's reservations: the thread pool's work)
        // while batch n is written (stored and indexed: the one writer's) and batch n-1's flags and side effects are
        // delivered (grain calls); each stage takes one batch after another.
        Task<WrittenBatch>? written = null;
        var delivered = Task.CompletedTask;
        IReadOnlySet<Guid> dropped = new HashSet<Guid>();
        var answered = false;
        try
        {
            foreach (var chunk in prepared.Chunk(options.Value.BatchRows))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var rows = chunk.ToList();
                later.ExceptWith(rows.Select(r => r.Id));
                var batch = await DecideAsync(rows, rule, actor, numberOf, later, dropped, deciding);
                if (written is not null)
                {
                    try
                    {
                        var done = await written;
                        delivered = done.Delivered;
                        await EmitAsync(done.Results);
                    }
                    catch
                    {
                        written = null;
                        await gate.SettleAsync(batch.Leads, new HashSet<Guid>()); // its reservations go with the import
                        throw;
                    }
                }

                // The leads of the batch now written that will not be stored hold their reservations until it settles: the
                // next batch must not take them for customers.
                dropped = batch.Dropped;
                written = WriteAsync(batch, actor, rowOf, writing, delivering, delivered);
            }

            if (written is not null)
            {
                var last = written;
                written = null;
                var done = await last;
                delivered = done.Delivered;
                await EmitAsync(done.Results);
            }

            await delivered;
            answered = true;
        }
        finally
        {
            if (!answered)
            {
                // Failed or cancelled while a batch was being written or delivered: it finishes (stored, indexed, delivered)
                // before the import answers, so its retry finds it whole. Its own failure, if any, is the second one and is dropped.
                if (written is not null)
                {
                    await written.ContinueWith(w => w.IsCompletedSuccessfully ? w.Result.Delivered : Task.CompletedTask, TaskScheduler.Default).Unwrap()
                        .ContinueWith(_ => { }, TaskScheduler.Default);
                }

                await delivered.ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        // Where an import's time went (wall clock per phase on each side): what to look at when an import is slow.
        logger.LogInformation("Import {ImportId}: {Rows} rows, {Created} created, {Duplicates} duplicates, {Rejected} rejected; ms per phase: deciding {Deciding}; writing {Writing}; delivering {Delivering}",
            importId, totals.Processed, totals.Created, totals.Duplicates, totals.Rejected, deciding, writing, delivering);
        return totals;

        async Task EmitAsync(List<ImportRowResult> results)
        {
            foreach (var result in results)
            {
                totals.Add(result);
            }

            await emit(results);
            if (totals.Total > CustomerImporter.ProgressEvery)
            {
                var progress = new ImportProgress(importId, clock.GetUtcNow(), totals.Processed, totals.Total, totals.Created, totals.Duplicates, totals.Rejected);
                await grains.GetGrain<IPushChannelGrain>(PushChannels.Rep(actor.UserId)).Publish(EventPublisher.ToMessage(progress));
            }
        }
    }

    /// <summary>A batch decided: its rows, the valid ones' requests, leads, checks and dedup decisions.</summary>
    private sealed record DecidedBatch(
        List<CustomerImporter.PreparedRow> Rows, List<CustomerImporter.PreparedRow> Valid, List<NewCustomer> Requests, List<BatchLead> Leads,
        CreationCheck?[] Checks, IReadOnlyList<DedupDecision> Decisions, Dictionary<Guid, StoredCreation> Stored)
    {
        /// <summary>The leads that will not be stored (blocked or refused): their reservations are not customers.</summary>
        public IReadOnlySet<Guid> Dropped { get; } = Enumerable.Range(0, Leads.Count)
            .Where(i => !Leads[i].Stored && (Decisions[i].Blocked || Checks[i]?.Error is not null)).Select(i => Leads[i].Id).ToHashSet();
    }

    /// <param name="numberOf">On a retry, the row number of each valid row's id; null on a first attempt.</param>
    private async Task<DecidedBatch> DecideAsync(List<CustomerImporter.PreparedRow> rows, DedupPolicy rule, Actor actor, Dictionary<Guid, int>? numberOf,
        HashSet<Guid> later, IReadOnlySet<Guid> dropped, ImportPhases phases)
    {
        phases.Start();
        var valid = rows.Where(r => r.Request is not null).ToList();
        var requests = valid.Select(r => r.Request!.ToNewCustomer()).ToList();
        var stored = numberOf is not null ? await storedCustomers.AmongAsync(valid.Select(r => r.Id).ToList()) : [];
        phases.Lap("stored?");
        var checks = new CreationCheck?[valid.Count];
        var caches = new BatchCaches();
        // The batch's keys a few dozen leads per strategy call, the calls on every core.
        var cards = new List<CustomerSnapshot>(valid.Count);
        for (var i = 0; i < valid.Count; i++)
        {
            cards.Add(CustomerCard.From(valid[i].Id, requests[i]));
        }

        var keys = await dedup.KeysManyAsync(cards, rule);
        var leads = new List<BatchLead>(valid.Count);
        for (var i = 0; i < valid.Count; i++)
        {
            leads.Add(new BatchLead(valid[i].Id, cards[i], keys[i], stored.ContainsKey(valid[i].Id)));
        }

        phases.Lap("keys");
        for (var i = 0; i < valid.Count; i++)
        {
            checks[i] = leads[i].Stored ? null : await creator.CheckAsync(requests[i], actor, caches);
        }

        phases.Lap("checks");
        var decisions = (await gate.ReserveAndDecideAsync(leads, rule, i => checks[i]?.Error is not null, id => later.Contains(id) || dropped.Contains(id))).ToArray();
        for (var i = 0; i < valid.Count; i++)
        {
            // Decided by the attempt that stored it: its flags are what that attempt flagged it against.
            if (stored.TryGetValue(valid[i].Id, out var creation))
            {
                var number = valid[i].Number;
                decisions[i] = DedupDecision.From(creation.Flags.Where(f => !(numberOf!.TryGetValue(f.DuplicateOf, out var n) && n > number)).Select(f => f.AsMatch()).ToList());
            }
        }

        phases.Lap("decide");
        return new DecidedBatch(rows, valid, requests, leads, checks, decisions, stored);
    }

    /// <summary>A batch written (stored and indexed): its rows' results, and its flags and deliveries under way.</summary>
    private sealed record WrittenBatch(List<ImportRowResult> Results, Task Delivered);

    /// <param name="deliveredBefore">The earlier batches' flags and deliveries: this batch's follow them.</param>
    private async Task<WrittenBatch> WriteAsync(DecidedBatch batch, Actor actor, Dictionary<Guid, int> rowOf, ImportPhases phases, ImportPhases delivering,
        Task deliveredBefore)
    {
        phases.Start();
        var (valid, leads, checks, decisions) = (batch.Valid, batch.Leads, batch.Checks, batch.Decisions);
        var settled = leads.Where(l => l.Stored).Select(l => l.Id).ToHashSet();
        BatchStored written;
        IReadOnlySet<Guid> createdHere = new HashSet<Guid>();
        try
        {
            var now = clock.GetUtcNow();
            var creating = Enumerable.Range(0, valid.Count).Where(i => !leads[i].Stored && !decisions[i].Blocked && checks[i]!.Error is null).ToList();
            var flags = CreationFlags.Of(creating.Select(i => (valid[i].Id, decisions[i])).ToList(), now, actor);
            createdHere = flags.Leads;
            var create = creating
                .Select(i => (valid[i].Id, (IReadOnlyList<CustomerEvent>)[CustomerBatchCreator.CreatedOf(checks[i]!, batch.Requests[i], actor, leads[i].Keys.Keys,
                    DedupPendingQueue.Reason(decisions[i].Faults), now), .. flags.For(valid[i].Id)]))
                .ToList();
            written = await creator.StoreAsync(create);
            settled.UnionWith(written.Stored.Select(s => s.Id));
            settled.UnionWith(written.Already);
            phases.Lap("store");
        }
        finally
        {
            // Whatever happened, the batch's reservations go and what was stored is indexed.
            await gate.SettleAsync(leads, settled);
        }

        phases.Lap("settle");
        // Flags and side effects are grain calls, not the writer's work: they go on while the next batch is stored.
        var delivered = FlagAndDeliverAsync(deliveredBefore, valid, leads, decisions, settled, createdHere, written.Stored, actor, delivering);
        if (written.Failure is { } failure)
        {
            // What was stored is indexed and delivered; the import fails here and its retry (same key) finds those rows stored.
            await delivered;
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        var outcome = new Dictionary<int, ImportRowResult>(valid.Count);
        for (var i = 0; i < valid.Count; i++)
        {
            var (row, decision) = (valid[i], decisions[i]);
            if (decision.Blocked)
            {
                outcome[row.Number] = new ImportRowResult(row.Number, "duplicate", null, Describe(decision.Matches.Where(m => m.Action == "block"), rowOf), null,
                    ErrorCodes.Duplicate);
            }
            else if (checks[i]?.Error is { } error)
            {
                var errors = new Dictionary<string, string[]> { [error.Details?.GetValueOrDefault("field") ?? ""] = [error.Message] };
                outcome[row.Number] = new ImportRowResult(row.Number, "rejected", null, [], errors, error.Code);
            }
            else
            {
                rowOf.TryAdd(row.Id, row.Number);
                // The pool it was created in: a region can route a lead to another unit's pool than the import's.
                var poolId = checks[i]?.Pool?.Id ?? batch.Stored.GetValueOrDefault(row.Id)?.PoolId;
                outcome[row.Number] = new ImportRowResult(row.Number, "created", row.Id, Describe(decision.Matches.Where(m => m.Action == "flag"), rowOf), null,
                    PoolId: poolId);
            }
        }

        return new WrittenBatch(batch.Rows.Select(r => r.Invalid ?? outcome[r.Number]).ToList(), delivered);
    }

    private async Task FlagAndDeliverAsync(Task before, List<CustomerImporter.PreparedRow> valid, List<BatchLead> leads, IReadOnlyList<DedupDecision> decisions,
        HashSet<Guid> settled, IReadOnlySet<Guid> createdHere, IReadOnlyList<StoredCustomer> stored, Actor actor, ImportPhases phases)
    {
        await before;
        phases.Start();
        await FlagAsync(valid, leads, decisions, settled, createdHere, actor);
        phases.Lap("flag");
        await delivery.DeliverAsync(stored);
        phases.Lap("deliver");
    }

    private static readonly ParallelOptions FlagsInFlight = new() { MaxDegreeOfParallelism = 32 };

    /// <summary>
    /// The customers outside the batch that a stored lead was flagged against are marked too, as the one-at-a-time gate
    /// marks both sides: a grain call each, many at once (each activates the customer and waits for its commit). The
    /// leads' own flags, and those between two leads of the batch, were stored with the leads (<see cref="CreationFlags"/>).
    /// A lead an earlier attempt stored marks every customer it was flagged against again, those created by this attempt
    /// too (the mark is idempotent): that attempt may have died before it marked them, or failed to store them.
    /// </summary>
    private async Task FlagAsync(List<CustomerImporter.PreparedRow> valid, List<BatchLead> leads, IReadOnlyList<DedupDecision> decisions, HashSet<Guid> settled,
        IReadOnlySet<Guid> createdHere, Actor actor)
    {
        var flags = Enumerable.Range(0, valid.Count).Where(i => settled.Contains(valid[i].Id))
            .SelectMany(i => decisions[i].Matches.Where(m => m.Action == "flag" && (leads[i].Stored || !createdHere.Contains(m.CustomerId)))
                .Select(m => (Lead: valid[i].Id, Match: m)));
        // One call per customer with all its flags of the batch: a stored customer many leads match (a chain's branches) was
        // sent as many calls at once while it was being let go, and Orleans refused the ones it could not forward.
        await Parallel.ForEachAsync(flags.GroupBy(f => f.Match.CustomerId), FlagsInFlight, async (target, _) =>
        {
            var batch = target.Select(f => new DuplicateFlag(f.Lead, f.Match)).ToList();
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await grains.GetGrain<ICustomerGrain>(target.Key).FlagDuplicates(batch, actor);
                    return;
                }
                catch (Orleans.Runtime.OrleansMessageRejectionException) when (attempt < 3)
                {
                    // The customer was let go by an earlier batch's flags just as this call came: its next activation takes it.
                    await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt));
                }
            }
        });
    }

    private static IReadOnlyList<ImportDuplicateDto> Describe(IEnumerable<DedupMatch> matches, Dictionary<Guid, int> rowOf) =>
        matches.Select(m => new ImportDuplicateDto(m.CustomerId, rowOf.TryGetValue(m.CustomerId, out var r) ? r : null, m.KeyKind, m.KeyValue, m.Strength, m.Score))
            .ToList();
}

/// <summary>Wall-clock milliseconds per phase of an import, summed over its batches.</summary>
public sealed class ImportPhases
{
    private readonly Dictionary<string, long> _ticks = [];
    private long _last = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>A stage begins: the time since its last lap (spent by the other stage or waiting) is not its own.</summary>
    public void Start() => _last = System.Diagnostics.Stopwatch.GetTimestamp();

    public void Lap(string phase)
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        _ticks[phase] = _ticks.GetValueOrDefault(phase) + (now - _last);
        _last = now;
    }

    public override string ToString() =>
        string.Join(", ", _ticks.Select(p => $"{p.Key} {p.Value * 1000 / System.Diagnostics.Stopwatch.Frequency}"));
}

/// <summary>The counts of an import so far.</summary>
public sealed class ImportTotals(string importId, int total)
{
    public string ImportId { get; } = importId;
    public int Total { get; } = total;
    public int Processed { get; private set; }
    public int Created { get; private set; }
    public int Duplicates { get; private set; }
    public int Rejected { get; private set; }

    public void Add(ImportRowResult result)
    {
        Processed++;
        switch (result.Status)
        {
            case "created": Created++; break;
            case "duplicate": Duplicates++; break;
            default: Rejected++; break;
        }
    }
}
