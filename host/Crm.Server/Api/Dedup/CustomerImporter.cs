using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Crm.Client;
using Crm.Grains.Pools;
using Crm.Grains.Common;
using Crm.Grains.Dedup;
using Crm.Grains.Push;
using Crm.Server.Api.Common;
using Crm.Server.Api.Customers;

namespace Crm.Server.Api.Dedup;

/// <summary>
/// Imports the rows of a file into a pool, each through the dedup gate, and answers one result per row in file
/// order. Rows run <see cref="RowsInFlight"/> at a time so that their durable writes share commits; a row that
/// shares a dedup key with an earlier row waits for that row, so the file's own duplicates are decided in file
/// order exactly as a one-at-a-time import would decide them. With an idempotency key every row's customer id is
/// derived from (pool, key, row number, row content): a retried import finds the customers its first attempt
/// created and answers the same ids, so no row is lost or doubled whatever point the first attempt reached.
/// </summary>
public sealed class CustomerImporter(DedupGate dedup, IGrainFactory grains, TimeProvider clock)
{
    /// <summary>Files with more rows than this push <see cref="ImportProgress"/> every this many rows.</summary>
    public const int ProgressEvery = 100;

    /// <summary>Rows being created at once: enough to fill a group commit, few enough to leave the silo to others.</summary>
    public const int RowsInFlight = 64;

    public async Task<ImportReport> ImportAsync(ImportTable table, ImportColumns columns, PoolInfo pool,
        string? idempotencyKey, Actor actor, CancellationToken cancellationToken)
    {
        var importId = ImportIdOf(pool, idempotencyKey, actor);
        var rule = RuleOf(pool, dedup);
        var rowOf = new ConcurrentDictionary<Guid, int>();
        var rows = new Task<ImportRowResult>[table.Rows.Count];
        var lastRowWithKey = new Dictionary<string, Task>(StringComparer.Ordinal);
        using var slots = new SemaphoreSlim(RowsInFlight);
        var tally = new Tally(table.Rows.Count);
        for (var i = 0; i < rows.Length; i++)
        {
            await slots.WaitAsync(cancellationToken);
            var row = Prepare(table.Rows[i], columns, pool, importId);
            var lead = row.Request is null ? new LeadKeys([], []) : await dedup.KeysAsync(CustomerCard.From(row.Id, row.Request.ToNewCustomer()), rule);
            var keys = lead.Keys;
            var earlier = keys.Select(k => lastRowWithKey.GetValueOrDefault(k)).OfType<Task>().Where(t => !t.IsCompleted).Distinct().ToArray();
            rows[i] = ImportRowAsync(row, lead, earlier, rule, actor, rowOf, slots);
            foreach (var key in keys)
            {
                lastRowWithKey[key] = rows[i];
            }

            if (i % 10_000 == 9_999)
            {
                // Keys of finished rows can no longer hold anyone back.
                foreach (var done in lastRowWithKey.Where(e => e.Value.IsCompleted).Select(e => e.Key).ToList())
                {
                    lastRowWithKey.Remove(done);
                }
            }

            while (tally.Processed < i && rows[tally.Processed].IsCompleted)
            {
                await tally.AddAsync(await rows[tally.Processed], r => PushProgressAsync(importId, actor, r));
            }
        }

        while (tally.Processed < rows.Length)
        {
            await tally.AddAsync(await rows[tally.Processed], r => PushProgressAsync(importId, actor, r));
        }

        return new ImportReport(importId, pool.Id, tally.Processed, tally.Created, tally.Duplicates, tally.Rejected, columns.First, rows.Select(r => r.Result).ToList(), columns.Ignored);
    }

    /// <summary>
    /// One import per caller, pool and key: a retry finds what its attempts stored. The key is the caller's own, as every
    /// idempotency key is (another user's import with the same key and file is a new import, its rows duplicates).
    /// </summary>
    internal static string ImportIdOf(PoolInfo pool, string? idempotencyKey, Actor actor) =>
        idempotencyKey is null ? Guid.NewGuid().ToString("N") : Hash($"{pool.Id}\n{actor.UserId}\n{idempotencyKey}")[..32];

    // Imports are where duplicates come from: a pool without a rule still blocks what the index strategies find.
    internal static DedupPolicy RuleOf(PoolInfo pool, DedupGate dedup) =>
        pool.Rules.Dedup ?? new DedupPolicy(dedup.IndexStrategies, "block") { Actions = new Dictionary<string, string> { ["weak"] = "flag" } };

    private Task PushProgressAsync(string importId, Actor actor, Tally tally)
    {
        var progress = new ImportProgress(importId, clock.GetUtcNow(), tally.Processed, tally.Total, tally.Created, tally.Duplicates, tally.Rejected);
        return grains.GetGrain<IPushChannelGrain>(PushChannels.Rep(actor.UserId))
            .Publish(EventPublisher.ToMessage(progress));
    }

    /// <summary>A row read and validated: the customer to create (null when the row is invalid) and its id.</summary>
    internal sealed record PreparedRow(int Number, Guid Id, CreateCustomerRequest? Request, ImportRowResult? Invalid);

    internal static PreparedRow Prepare(ImportTable.Row row, ImportColumns columns, PoolInfo pool, string importId)
    {
        if (row.Error is { } unreadable)
        {
            return new PreparedRow(row.Number, Guid.Empty, null,
                new ImportRowResult(row.Number, "rejected", null, [], new Dictionary<string, string[]> { ["row"] = [unreadable] }, ErrorCodes.Invalid));
        }

        string? Cell(string field) => columns.Cell(row, field);

        var company = Cell("company");
        var request = IdentityText.Normalize(new CreateCustomerRequest(Cell("name") ?? company ?? "", company, Cell("phone"), Cell("email"), Cell("taxId"),
            Cell("address"), Cell("source") ?? "import", pool.Id));
        var validation = CustomersApi.ValidateProfile(request);
        if (columns.CustomFields is { } customFields)
        {
            // Checked here, every error of the row at once, as POST /api/customers checks them before the grain does.
            request = request with { CustomFields = customFields.Read(row, validation) };
        }

        if (!validation.IsValid)
        {
            return new PreparedRow(row.Number, Guid.Empty, null, new ImportRowResult(row.Number, "rejected", null, [], validation.Errors, ErrorCodes.Invalid));
        }

        var content = string.Join('\u001f', ColumnMapping.Fields.Select(Cell));
        if (columns.CustomFields is { Columns.Count: > 0 } custom)
        {
            // Part of the row's content too; a file without custom field columns keeps the ids it had.
            content += '\u001f' + string.Join('\u001f', custom.Columns.Select(c => ImportColumns.FirstFilled(row, c.Headers)));
        }

        var id = ImportRowIds.Of(importId, row.Number, content);
        return new PreparedRow(row.Number, id, request, null);
    }

    private async Task<ImportRowResult> ImportRowAsync(PreparedRow row, LeadKeys keys, Task[] earlier, DedupPolicy rule, Actor actor,
        ConcurrentDictionary<Guid, int> rowOf, SemaphoreSlim slots)
    {
        try
        {
            if (row.Invalid is { } invalid)
            {
                return invalid;
            }

            // Never throws: an earlier row's failure is that row's, and this one is still decided on its own.
            await Task.WhenAll(earlier).ContinueWith(static _ => { }, TaskScheduler.Default);
            var outcome = await dedup.CreateAsync(row.Id, row.Request!.ToNewCustomer(), actor, rule, keys);
            if (outcome.Decision.Blocked)
            {
                return new ImportRowResult(row.Number, "duplicate", null, Describe(outcome.Decision.Matches.Where(m => m.Action == "block"), rowOf), null, ErrorCodes.Duplicate);
            }

            if (outcome.Error is { } error)
            {
                var errors = new Dictionary<string, string[]> { [error.Details?.GetValueOrDefault("field") ?? ""] = [error.Message] };
                return new ImportRowResult(row.Number, "rejected", null, [], errors, error.Code);
            }

            var customer = outcome.Customer!;
            rowOf.TryAdd(customer.Id, row.Number);
            return new ImportRowResult(row.Number, "created", customer.Id, Describe(outcome.Decision.Matches.Where(m => m.Action == "flag"), rowOf), null,
                PoolId: customer.PoolId);
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>Counts results in file order and pushes progress every <see cref="ProgressEvery"/> rows of a large file.</summary>
    private sealed class Tally(int total)
    {
        public int Total { get; } = total;
        public int Processed { get; private set; }
        public int Created { get; private set; }
        public int Duplicates { get; private set; }
        public int Rejected { get; private set; }

        public async Task AddAsync(ImportRowResult result, Func<Tally, Task> pushProgress)
        {
            Processed++;
            switch (result.Status)
            {
                case "created": Created++; break;
                case "duplicate": Duplicates++; break;
                default: Rejected++; break;
            }

            if (Total > ProgressEvery && (Processed % ProgressEvery == 0 || Processed == Total))
            {
                await pushProgress(this);
            }
        }
    }

    private static IReadOnlyList<ImportDuplicateDto> Describe(IEnumerable<DedupMatch> matches, ConcurrentDictionary<Guid, int> rowOf) =>
        matches.Select(m => new ImportDuplicateDto(m.CustomerId, rowOf.TryGetValue(m.CustomerId, out var r) ? r : null, m.KeyKind, m.KeyValue, m.Strength, m.Score)).ToList();

    internal static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
