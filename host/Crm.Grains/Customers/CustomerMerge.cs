using Crm.Grains.Common;
using Crm.Grains.Customers.Events;

namespace Crm.Grains.Customers;

/// <summary>
/// How a survivor takes in a duplicate: its empty profile fields filled from the other, the keys of both, the later
/// last follow-up, and the other's history linked (not copied) together with whatever had been merged into it.
/// </summary>
public static class CustomerMerge
{
    public static Merged Decide(CustomerState survivor, Guid duplicateId, MergeSource other, string? reason, Actor actor, DateTimeOffset now)
    {
        var p = survivor.Profile;
        var o = other.Customer;
        var filled = p with
        {
            Company = p.Company ?? o.Company,
            Phone = p.Phone ?? o.Phone,
            Email = p.Email ?? o.Email,
            TaxId = p.TaxId ?? o.TaxId,
            Address = p.Address ?? o.Address,
        };
        return new Merged(now, actor.UserId, duplicateId, [duplicateId, .. other.MergedFrom], other.OwnerId, reason,
            filled == p ? null : filled, other.DedupKeys, o.LastFollowUpAt);
    }
}
