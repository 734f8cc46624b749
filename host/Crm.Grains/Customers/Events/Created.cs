using System.Collections.ObjectModel;

namespace Crm.Grains.Customers.Events;

public sealed record Created(
    DateTimeOffset At,
    string? ActorId,
    CustomerProfile Profile,
    LeadTraits Traits,
    string PoolId,
    string? OrgUnitId,
    string? RegionUnitId,
    string? OwnerId,
    IReadOnlyList<string> DedupKeys,
    IReadOnlyDictionary<string, CustomFields.CustomValue>? CustomFields = null,
    string? DedupPending = null) : CustomerEvent(At, ActorId)
{
    public override string Kind => TimelineKinds.Created;

    public override void ApplyTo(CustomerState state)
    {
        state.Exists = true;
        state.Profile = Profile;
        state.Traits = Traits;
        state.Stage = CustomerStage.Lead;
        state.PoolId = PoolId;
        state.OrgUnitId = OrgUnitId;
        state.RegionUnitId = RegionUnitId;
        state.OwnerId = OwnerId;
        state.OwnedSince = OwnerId is null ? null : At;
        state.CreatedAt = At;
        state.DedupKeys = [.. DedupKeys];
        state.CustomFields = CustomFields is null ? ReadOnlyDictionary<string, Grains.CustomFields.CustomValue>.Empty : new Dictionary<string, Grains.CustomFields.CustomValue>(CustomFields, StringComparer.Ordinal);
    }

    public override TimelineFields Describe()
    {
        var data = new Dictionary<string, string?> { ["poolId"] = PoolId, ["ownerId"] = OwnerId, ["source"] = Profile.Source };
        if (DedupPending is not null)
        {
            // Not the fault itself: it names plugins and their errors, which are the administrators' business.
            data["dedupPending"] = "true";
        }

        return new(null, null, data);
    }
}
