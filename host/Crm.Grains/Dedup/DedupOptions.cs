using System.ComponentModel.DataAnnotations;

namespace Crm.Grains.Dedup;

/// <summary>Configuration section <c>Crm:Dedup</c>.</summary>
public sealed class DedupOptions
{
    public const string Section = "Crm:Dedup";

    /// <summary>
    /// Number of index shards (DedupIndexGrain keys). Fixed for a database: the shard of every stored key is
    /// derived from it; change it only together with <c>POST /api/admin/dedup/reindex</c>.
    /// </summary>
    [Range(1, 4096)]
    public int Shards { get; set; } = 64;

    /// <summary>
    /// Strategies whose keys every customer is indexed under, whatever its pool's rules, so that a pool that
    /// turns dedup on later finds the customers created before.
    /// </summary>
    public List<string> IndexStrategies { get; set; } = ["identity-keys", "company-name"];

    /// <summary>How long a key reserved by a creation in flight holds before the index treats it as abandoned.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan ReservationTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A blocking key held by more customers than this is a common word (a short brand, a shared switchboard
    /// number): it finds no candidates, though candidates found through rarer keys are still compared in full.
    /// </summary>
    [Range(10, 100_000)]
    public int CommonKeyLimit { get; set; } = 100;

    /// <summary>At most this many customers are compared with one lead (the holders of its rarest keys first).</summary>
    [Range(10, 100_000)]
    public int MaxCandidates { get; set; } = 200;

    /// <summary>How often each silo looks for queued customers (created while a strategy failed) to index.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan PendingRetryEvery { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long an edited customer's re-keying is left to the edit's own request (which keys the card before it answers)
    /// before the retrier does it: the time a crash or a failure between the edit and its keys can leave the old keys.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan EditRekeyGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>At most this many queued customers per round.</summary>
    [Range(1, 10_000)]
    public int PendingBatch { get; set; } = 100;

    /// <summary>The longest wait before a queued customer whose indexing keeps failing is tried again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan PendingBackoffMax { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Whether a starting server loads every index shard in the background (<see cref="DedupIndexWarmUp"/>) rather than each
    /// on its first call; off, the first creations after a restart wait for their shards.
    /// </summary>
    public bool WarmUpOnStart { get; set; } = true;

    /// <summary>Customers a reindex job handles per step (its cursor is saved after each).</summary>
    [Range(1, 10_000)]
    public int ReindexBatch { get; set; } = 200;
}
