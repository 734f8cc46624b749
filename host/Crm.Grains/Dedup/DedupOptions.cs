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
}
