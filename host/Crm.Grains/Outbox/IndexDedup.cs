using Crm.Grains.Customers;
using Crm.Grains.Dedup;

namespace Crm.Grains.Outbox;

/// <summary>
/// The dedup index holds the customer under its blocking keys, with its current identity fields, traits and custom
/// field values as text (null: none), what the index's card shows the strategies.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record IndexDedup(Guid CustomerId, CustomerProfile Profile, string PoolId, string? OwnerId, IReadOnlyList<string> Keys,
    LeadTraits? Traits = null, IReadOnlyDictionary<string, string>? Fields = null) : OutboxEffect
{
    public static IndexDedup Of(Guid id, CustomerState s) =>
        new(id, s.Profile, s.PoolId, s.OwnerId, s.DedupKeys, s.Traits, CustomerCard.FieldsOf(s.CustomFields));
}
