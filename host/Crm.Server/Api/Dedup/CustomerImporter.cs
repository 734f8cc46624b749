using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Dedup;
using Crm.Grains.Push;
using Crm.Server.Api.Common;
using Crm.Server.Api.Customers;

namespace Crm.Server.Api.Dedup;

/// <summary>
/// Imports the rows of a file into a pool, one at a time in file order, each through the dedup gate, and answers
/// one result per row. With an idempotency key every row's customer id is derived from (pool, key, row number, row
/// content): a retried import finds the customers its first attempt created and answers the same ids, so no row is
/// lost or doubled whatever point the first attempt reached.
/// </summary>
public sealed class CustomerImporter(DedupGate dedup, IGrainFactory grains, TimeProvider clock)
{
    /// <summary>Files with more rows than this push <see cref="ImportProgress"/> every this many rows.</summary>
    public const int ProgressEvery = 100;

    public async Task<ImportReport> ImportAsync(ImportTable table, IReadOnlyDictionary<string, string> columns, PoolDto pool,
        string? idempotencyKey, Actor actor, CancellationToken cancellationToken)
    {
        var importId = idempotencyKey is null ? Guid.NewGuid().ToString("N") : Hash($"{pool.Id}\n{idempotencyKey}")[..32];
        // Imports are where duplicates come from: a pool without a rule still blocks what the index strategies find.
        var rule = pool.Rules.Dedup ?? new DedupRule(dedup.IndexStrategies, "block") { Actions = new Dictionary<string, string> { ["weak"] = "flag" } };
        var rowOf = new Dictionary<Guid, int>();
        var results = new List<ImportRowResult>(table.Rows.Count);
        int created = 0, duplicates = 0, rejected = 0;
        foreach (var row in table.Rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = await ImportRowAsync(row, columns, pool, rule, importId, idempotencyKey is not null, actor, rowOf);
            results.Add(result);
            switch (result.Status)
            {
                case "created": created++; break;
                case "duplicate": duplicates++; break;
                default: rejected++; break;
            }

            if (table.Rows.Count > ProgressEvery && (results.Count % ProgressEvery == 0 || results.Count == table.Rows.Count))
            {
                var progress = new ImportProgress(importId, clock.GetUtcNow(), results.Count, table.Rows.Count, created, duplicates, rejected);
                await grains.GetGrain<IPushChannelGrain>(PushChannels.Rep(actor.UserId))
                    .Publish(new PushMessage(nameof(ImportProgress), JsonSerializer.Serialize(progress, EventPublisher.Json)));
            }
        }

        return new ImportReport(importId, pool.Id, results.Count, created, duplicates, rejected, columns, results);
    }

    private async Task<ImportRowResult> ImportRowAsync(ImportTable.Row row, IReadOnlyDictionary<string, string> columns, PoolDto pool,
        DedupRule rule, string importId, bool deterministic, Actor actor, Dictionary<Guid, int> rowOf)
    {
        string? Cell(string field) => columns.TryGetValue(field, out var header) && row.Cells.GetValueOrDefault(header) is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

        var company = Cell("company");
        var request = new CreateCustomerRequest(Cell("name") ?? company ?? "", company, Cell("phone"), Cell("email"), Cell("taxId"),
            Cell("address"), Cell("source") ?? "import", pool.Id);
        var validation = CustomersApi.ValidateProfile(request);
        if (!validation.IsValid)
        {
            return new ImportRowResult(row.Number, "rejected", null, [], validation.Errors, "invalid");
        }

        var id = deterministic
            ? new Guid(Convert.FromHexString(Hash($"{importId}\n{row.Number}\n{string.Join('\u001f', ColumnMapping.Fields.Select(Cell))}")[..32]))
            : Guid.NewGuid();
        var outcome = await dedup.CreateAsync(id, request, actor, rule);
        if (outcome.Decision.Blocked)
        {
            return new ImportRowResult(row.Number, "duplicate", null, Describe(outcome.Decision.Matches.Where(m => m.Action == "block"), rowOf), null, "duplicate");
        }

        if (outcome.Error is { } error)
        {
            var errors = new Dictionary<string, string[]> { [error.Details?.GetValueOrDefault("field") ?? ""] = [error.Message] };
            return new ImportRowResult(row.Number, "rejected", null, [], errors, error.Code);
        }

        var customer = outcome.Customer!;
        rowOf.TryAdd(customer.Id, row.Number);
        return new ImportRowResult(row.Number, "created", customer.Id, Describe(outcome.Decision.Matches.Where(m => m.Action == "flag"), rowOf), null);
    }

    private static IReadOnlyList<ImportDuplicateDto> Describe(IEnumerable<DedupMatch> matches, Dictionary<Guid, int> rowOf) =>
        matches.Select(m => new ImportDuplicateDto(m.CustomerId, rowOf.TryGetValue(m.CustomerId, out var r) ? r : null, m.KeyKind, m.KeyValue, m.Strength, m.Score)).ToList();

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
