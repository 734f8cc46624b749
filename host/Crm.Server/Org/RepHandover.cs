using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Org;
using Crm.Grains.Reps;
using Crm.Server.Permissions;

namespace Crm.Server.Org;

/// <summary>
/// When a rep moves to another unit, stops being a rep or leaves, the customers of its private pool it may no
/// longer own are handed over by rule: to the named rep if the customer accepts it (pool member, region, capacity),
/// otherwise back to the public pool. Every step goes through the customer grain (Assign / Release), so the
/// private-pool indexes and the timelines follow; each customer is reported, and a repeat of the request finishes
/// what a crash interrupted.
/// </summary>
public sealed class RepHandover(IGrainFactory grains, CustomerAccess access, AuditLog audit)
{
    /// <param name="repPath">The rep's unit path where it now stands; null when it can own nothing any more.</param>
    /// <param name="keepRefused">
    /// A customer <paramref name="transferTo"/> may not take stays with the rep (<c>kept</c>, with the refusal's code)
    /// instead of going back to the pool: a manager's transfer of a rep who stays, not a move or a departure.
    /// </param>
    public async Task<IReadOnlyList<HandoverItem>> HandOverAsync(string repId, string? repPath, string? transferTo, string reason, Actor actor,
        bool keepRefused = false)
    {
        var owned = await grains.GetGrain<IRepGrain>(repId).GetOwned();
        var items = new List<HandoverItem>(owned.Count);
        foreach (var entry in owned)
        {
            items.Add(await HandOverOneAsync(repId, repPath, entry.CustomerId, transferTo, reason, actor, keepRefused));
        }

        return items;
    }

    private async Task<HandoverItem> HandOverOneAsync(string repId, string? repPath, Guid customerId, string? transferTo, string reason, Actor actor,
        bool keepRefused)
    {
        var customer = grains.GetGrain<ICustomerGrain>(customerId);
        var current = await customer.Get();
        if (current is null || current.OwnerId != repId)
        {
            // The index was behind the customer: nothing of this rep's to hand over; re-projecting heals the index.
            await customer.Reproject();
            await grains.GetGrain<IRepGrain>(repId).Drop(customerId);
            return new HandoverItem(customerId, HandoverOutcome.Kept, current?.OwnerId, ErrorCodes.NotOwned, "The customer was no longer in this private pool.");
        }

        if (repPath is not null)
        {
            var regionUnitId = await customer.GetRegionUnitId();
            if (await access.MayOwnAsync(customerId, repId, repPath, current.PoolId, regionUnitId) is null)
            {
                return new HandoverItem(customerId, HandoverOutcome.Kept);
            }
        }

        string? refusal = null;
        if (transferTo is not null)
        {
            var assigned = await customer.Assign(transferTo, reason, actor);
            if (assigned.Ok)
            {
                await audit.WriteAsync(actor.UserId, AuditLog.Actions.CustomerTransferred, "customer", customerId.ToString(),
                    new() { ["fromRepId"] = repId, ["toRepId"] = transferTo, ["reason"] = reason });
                return new HandoverItem(customerId, HandoverOutcome.Transferred, transferTo);
            }

            refusal = assigned.Error!.Code;
            if (keepRefused)
            {
                return new HandoverItem(customerId, HandoverOutcome.Kept, null, refusal, assigned.Error.Message);
            }
        }

        var released = await customer.Release(reason, actor);
        if (!released.Ok)
        {
            return new HandoverItem(customerId, HandoverOutcome.Failed, null, released.Error!.Code, released.Error.Message);
        }

        await audit.WriteAsync(actor.UserId, AuditLog.Actions.CustomerReleased, "customer", customerId.ToString(),
            new() { ["fromRepId"] = repId, ["reason"] = reason, ["transferRefused"] = refusal });
        return new HandoverItem(customerId, HandoverOutcome.Released, null, refusal);
    }
}
