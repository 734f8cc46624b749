using Crm.Grains.Customers;
using Crm.Grains.Customers.Events;
using Crm.Grains.Dedup.Events;
using Crm.Grains.Outbox;

namespace Crm.Grains.Dedup;

/// <summary>What a change of a customer's dedup keys calls for after its commit: the index drops the old keys and takes the new.</summary>
public static class DedupEffects
{
    public static void Add(List<OutboxEffect> effects, Guid id, CustomerState after, CustomerEvent e)
    {
        if (e is DedupIndexed indexed && after.Exists)
        {
            if (indexed.Dropped.Count > 0)
            {
                effects.Add(new UnindexDedup(id, indexed.Dropped));
            }

            effects.Add(IndexDedup.Of(id, after));
        }
    }
}
