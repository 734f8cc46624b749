using System.Globalization;
using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.CustomerDetails;
using Crm.Grains.CustomerDetails.Events;

namespace Crm.Grains.Customers;

/// <summary>The customer's details edited: check (seen, owner or manager, the version) → decide what changed → raise.</summary>
public sealed partial class CustomerGrain : ICustomerDetails
{
    public async Task<Result<CustomerView>> EditDetails(DetailsEdit edit, Actor actor, long? expectedVersion)
    {
        if (await OwnerOrManagerAsync(actor, "Only the rep who owns this customer, or a manager, may edit its details.") is { } refused)
        {
            return refused;
        }

        if (S.MergedInto is not null)
        {
            return NotFound(); // merged away: the answer names the customer to edit instead
        }

        if (expectedVersion is { } expected && expected != S.Version)
        {
            return new CrmError(ErrorCodes.PreconditionFailed,
                $"The customer is at version {S.Version}, not {expected}: it was changed since it was read. Read it again and redo the edit.", 412,
                new() { ["currentVersion"] = S.Version.ToString(CultureInfo.InvariantCulture) });
        }

        var (profile, traits) = (edit.Apply(S.Profile), edit.Apply(S.Traits));
        var fields = DetailsEdit.Changed(S.Profile, S.Traits, profile, traits);
        if (fields.Count == 0)
        {
            return Dto();
        }

        // The region follows the address (what a rep of a regional unit may reach); the pool stays where it is.
        var regionUnitId = fields.Contains("address") ? (await tree.RegionFor(profile.Address))?.OrgUnitId : S.RegionUnitId;
        await RaiseAsync(new DetailsEdited(clock.GetUtcNow(), actor.UserId, profile, traits, regionUnitId, fields));
        return Dto();
    }
}
