using Crm.Client;
using Crm.Grains.Assignment;
using Crm.Grains.Common;
using Crm.Grains.Customers.Events;
using Crm.Grains.Pools;

namespace Crm.Grains.Customers;

/// <summary>The snapshot as others see it: the grain's answer, the read-model row, the recycle facts, assignment's lead.</summary>
public static class CustomerMappings
{
    /// <summary>The customer as the grain answers it; custom fields are copied, since the snapshot's dictionary changes.</summary>
    public static CustomerView ToView(Guid id, CustomerState s) => new(id, s.Profile.Name, s.Profile.Company, s.Profile.Phone, s.Profile.Email,
        s.Profile.TaxId, s.Profile.Address, s.Profile.Source, s.Stage, s.PoolId, s.OwnerId, s.CreatedAt, s.UpdatedAt,
        s.LastFollowUpAt, s.Version, s.Traits.Industry, s.Traits.Region, s.Traits.Language, s.Level,
        s.CustomFields.Count == 0 ? null : new Dictionary<string, CustomFields.CustomValue>(s.CustomFields, StringComparer.Ordinal));

    public static CustomerRow ToRow(Guid id, CustomerState s) => new()
    {
        Id = id.ToString(),
        Name = s.Profile.Name,
        Company = s.Profile.Company,
        Phone = s.Profile.Phone,
        Email = s.Profile.Email,
        TaxId = s.Profile.TaxId,
        Address = s.Profile.Address,
        Source = s.Profile.Source,
        Stage = StageNames.Of(s.Stage),
        PoolId = s.PoolId,
        OwnerId = s.OwnerId,
        OrgUnitId = s.OrgUnitId,
        CreatedMs = UnixTime.ToMs(s.CreatedAt),
        UpdatedMs = UnixTime.ToMs(s.UpdatedAt),
        LastFollowUpMs = UnixTime.ToMs(s.LastFollowUpAt),
        StatusPool = StatusPools.Of(s.Stage).ToString().ToLowerInvariant(),
        Version = s.Version,
    };

    /// <summary>What the owner's recycle deadline follows.</summary>
    public static RecycleFacts Facts(CustomerState s) => new(s.OwnedSince ?? s.CreatedAt, s.LastFollowUpAt, s.LastDealAt, s.Stage, s.Version, s.LastVisitAt,
        s.Level, s.Deals.Values.Any(d => d.Status is Deals.DealStatus.Open or Deals.DealStatus.Won));

    public static AssignmentLead ToLead(Guid id, CustomerState s, DateTimeOffset now)
    {
        var card = Dedup.CustomerCard.From(id, s.Profile, s.PoolId, s.OwnerId, s.CreatedAt, s.Traits, Dedup.CustomerCard.FieldsOf(s.CustomFields));
        var locked = s.ReclaimLocks.Where(l => l.Value > now).Select(l => l.Key).Order(StringComparer.Ordinal).ToList();
        return new AssignmentLead(LeadCard.Of(card), s.PoolId, s.OwnerId, s.Stage, locked, s.RegionUnitId);
    }

    /// <summary>A note entry as the timeline shows it, from the event that recorded it.</summary>
    public static HistoryEntry ToEntry(long seq, CustomerEvent e)
    {
        var shown = e.Describe();
        return new HistoryEntry((int)seq, e.At, e.Kind, e.ActorId, shown.Reason, shown.Text, shown.Data);
    }
}
