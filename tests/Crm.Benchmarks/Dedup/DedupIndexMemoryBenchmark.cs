using System.Diagnostics;
using Crm.Benchmarks.Common;
using Crm.Grains.Common;
using Crm.Grains.Dedup;
using Crm.Plugins.Standard.Dedup;
using Crm.Sdk;
using Crm.Tests.Dedup;

namespace Crm.Benchmarks.Dedup;

/// <summary>
/// What the dedup index keeps in memory per customer: N generated customers (Chinese and Latin companies with credit
/// code, mobile, e-mail, address) keyed by the standard strategies as the server keys them, their keys committed into
/// the 64 shards' <see cref="ShardKeys"/> and their cards held as the shards hold them. Each string is a fresh instance,
/// as when it arrives in a grain call. Baseline in the same run: the same keys in a plain
/// <c>Dictionary&lt;string, List&lt;Guid&gt;&gt;</c>, what one would write first.
/// </summary>
public sealed class DedupIndexMemoryBenchmark : IBenchmark
{
    public string Name => "dedup-index-memory";

    public string Description => "dedup index memory per customer (keys and cards) against a plain dictionary of key text to ids [--customers 1000000]";

    public Task RunAsync(string[] args)
    {
        var options = new BenchArgs(args);
        var count = options.Int("customers", 1_000_000);
        var shards = new DedupOptions().Shards;
        IDedupStrategy[] strategies = [new IdentityKeysStrategy(), new CompanyNameStrategy()];
        Console.WriteLine($"dedup-index-memory: {count:N0} customers, {shards} shards, strategies {string.Join(", ", strategies.Select(s => s.Name))}");

        var watch = Stopwatch.StartNew();
        var before = Heap();
        var index = Enumerable.Range(0, shards).Select(_ => new ShardKeys()).ToArray();
        long holds = 0;
        foreach (var (id, card) in Customers(count))
        {
            foreach (var key in KeysOf(card, strategies))
            {
                index[DedupShards.Of(key, shards)].GetOrAdd(key).Commit(id);
                holds++;
            }
        }

        var keysBytes = Heap() - before;
        var keyCount = index.Sum(s => (long)s.Count);
        Console.WriteLine($"keys: {keyCount:N0} keys, {holds:N0} holds ({(double)holds / count:N1} per customer), {Mb(keysBytes)} MB, {keysBytes / count:N0} B per customer, {keysBytes / Math.Max(keyCount, 1):N0} B per key ({watch.Elapsed.TotalSeconds:N0} s)");

        watch.Restart();
        before = Heap();
        var cards = Enumerable.Range(0, shards).Select(_ => new Dictionary<Guid, LeadCard>()).ToArray();
        foreach (var (id, card) in Customers(count))
        {
            cards[DedupShards.OfCustomer(id, shards)][id] = Fresh(LeadCard.Of(card));
        }

        var cardBytes = Heap() - before;
        Console.WriteLine($"cards: {Mb(cardBytes)} MB, {cardBytes / count:N0} B per customer ({watch.Elapsed.TotalSeconds:N0} s)");
        GC.KeepAlive(index);
        GC.KeepAlive(cards);
        index = null;
        cards = null;

        watch.Restart();
        before = Heap();
        var plain = Enumerable.Range(0, shards).Select(_ => new Dictionary<string, List<Guid>>(StringComparer.Ordinal)).ToArray();
        foreach (var (id, card) in Customers(count))
        {
            foreach (var key in KeysOf(card, strategies))
            {
                var shard = plain[DedupShards.Of(key, shards)];
                (shard.TryGetValue(key, out var ids) ? ids : shard[key] = new List<Guid>(1)).Add(id);
            }
        }

        var plainBytes = Heap() - before;
        Console.WriteLine($"baseline, Dictionary<string, List<Guid>>: {Mb(plainBytes)} MB, {plainBytes / count:N0} B per customer ({watch.Elapsed.TotalSeconds:N0} s)");
        var lists = plain.SelectMany(d => d.Values).ToList();
        Console.WriteLine($"keys by holders: one {lists.Count(l => l.Count == 1):N0}; 2-15 {lists.Count(l => l.Count is > 1 and < 16):N0} keys, {lists.Where(l => l.Count is > 1 and < 16).Sum(l => (long)l.Count):N0} holds; "
            + $"16 or more {lists.Count(l => l.Count >= 16):N0} keys, {lists.Where(l => l.Count >= 16).Sum(l => (long)l.Count):N0} holds, the largest {lists.Max(l => l.Count):N0}");
        GC.KeepAlive(plain);
        Console.WriteLine($"keys against the baseline: {(double)keysBytes / plainBytes:N2}x the memory; keys and cards together {(keysBytes + cardBytes) / count:N0} B per customer, {Mb(keysBytes + cardBytes)} MB at {count:N0}");
        return Task.CompletedTask;
    }

    private static IEnumerable<(Guid Id, CustomerSnapshot Card)> Customers(int count)
    {
        var generator = new CompanyGenerator(seed: 7);
        var ids = new Random(3);
        var bytes = new byte[16];
        for (var i = 0; i < count; i++)
        {
            ids.NextBytes(bytes);
            var id = new Guid(bytes);
            var card = generator.Original(generator.Next(), id.ToString());
            yield return (id, card);
        }
    }

    private static IEnumerable<string> KeysOf(CustomerSnapshot card, IDedupStrategy[] strategies) =>
        strategies.SelectMany(s => s.Keys(card)).Select(k => DedupShards.KeyOf(k.Kind, k.Value)).Distinct();

    // As deserialized from a grain call: no string shared with another card or with the generator's tables.
    private static LeadCard Fresh(LeadCard card) => card with
    {
        Id = Copy(card.Id)!, Name = Copy(card.Name)!, Company = Copy(card.Company), Phone = Copy(card.Phone), Email = Copy(card.Email),
        TaxId = Copy(card.TaxId), Address = Copy(card.Address),
    };

    private static string? Copy(string? value) => value is null ? null : new string(value.AsSpan());

    private static long Heap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(true);
    }

    private static long Mb(long bytes) => bytes / 1_048_576;
}
