namespace Crm.Grains.Dedup;

/// <summary>
/// The customer grain's side of indexing again (a queued customer whose strategy recovered, a reindex): what its keys
/// are computed from, and recording the recomputed keys. Implemented by the customer grain (same key, same activation).
/// </summary>
public interface ICustomerDedup : IGrainWithGuidKey
{
    /// <summary>The profile the keys are computed from, at a version; null when the customer does not exist (merged away, never created).</summary>
    Task<DedupSubject?> GetDedupSubject();

    /// <summary>
    /// Records keys computed from the subject at <paramref name="expectedVersion"/>: raises <c>DedupIndexed</c> when they
    /// differ from the stored ones, else puts the stored ones into the index again. False when the customer changed since.
    /// </summary>
    Task<bool> RecordDedupKeys(IReadOnlyList<string> keys, long expectedVersion, string trigger);
}

/// <summary>A customer as the dedup strategies see it, with the keys it is stored under.</summary>
[GenerateSerializer, Immutable]
public sealed record DedupSubject(
    [property: Id(0)] Customers.CustomerProfile Profile,
    [property: Id(1)] string PoolId,
    [property: Id(2)] string? OwnerId,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] long Version,
    [property: Id(5)] IReadOnlyList<string> Keys,
    [property: Id(6)] Customers.LeadTraits? Traits = null,
    [property: Id(7)] IReadOnlyDictionary<string, string>? Fields = null);
