using Crm.Sdk;

namespace Crm.Grains.Common;

/// <summary>
/// A customer or lead as strategies see it, in the grains' own type: what the dedup index holds and stores
/// (<c>dedup_cards</c>) and what assignment hands its strategies. Plugins receive the SDK's <see cref="CustomerSnapshot"/>,
/// made from it where a strategy is called (<see cref="ToSnapshot"/>), so a grain call never carries the SDK's record.
/// The property names are the snapshot's: cards stored as JSON before this type read the same.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LeadCard(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string? Company = null,
    [property: Id(3)] string? Phone = null,
    [property: Id(4)] string? Email = null,
    [property: Id(5)] string? TaxId = null,
    [property: Id(6)] string? Address = null,
    [property: Id(7)] string? Source = null,
    [property: Id(8)] string? PoolId = null,
    [property: Id(9)] string? OwnerId = null,
    [property: Id(10)] string? Industry = null,
    [property: Id(11)] string? Region = null,
    [property: Id(12)] string? Language = null,
    [property: Id(13)] DateTimeOffset? CreatedAt = null,
    [property: Id(14)] IReadOnlyDictionary<string, string>? Fields = null)
{
    public CustomerSnapshot ToSnapshot() => new()
    {
        Id = Id, Name = Name, Company = Company, Phone = Phone, Email = Email, TaxId = TaxId, Address = Address, Source = Source,
        PoolId = PoolId, OwnerId = OwnerId, Industry = Industry, Region = Region, Language = Language, CreatedAt = CreatedAt,
        Fields = Fields ?? NoFields,
    };

    // One read-only empty set shared by every snapshot without extra fields (most cards): no strategy can add to it.
    public static readonly IReadOnlyDictionary<string, string> NoFields =
        new System.Collections.ObjectModel.ReadOnlyDictionary<string, string>(new Dictionary<string, string>());

    /// <summary>The card of a snapshot; no fields are kept as null, so a card without custom fields stores and holds none.</summary>
    public static LeadCard Of(CustomerSnapshot s) => new(s.Id, s.Name, s.Company, s.Phone, s.Email, s.TaxId, s.Address, s.Source,
        s.PoolId, s.OwnerId, s.Industry, s.Region, s.Language, s.CreatedAt, s.Fields.Count == 0 ? null : s.Fields);
}
