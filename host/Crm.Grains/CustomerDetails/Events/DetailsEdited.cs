using Crm.Grains.Customers;
using Crm.Grains.Customers.Events;

namespace Crm.Grains.CustomerDetails.Events;

/// <summary>
/// The customer's contact details or traits were edited: the whole profile and traits after the edit, the region its
/// address now lies in, and which fields changed.
/// </summary>
public sealed record DetailsEdited(
    DateTimeOffset At,
    string? ActorId,
    CustomerProfile Profile,
    LeadTraits Traits,
    string? RegionUnitId,
    IReadOnlyList<string> Fields) : CustomerEvent(At, ActorId)
{
    public override string Kind => TimelineKinds.DetailsEdited;

    public override void ApplyTo(CustomerState state)
    {
        state.Profile = Profile;
        state.Traits = Traits;
        state.RegionUnitId = RegionUnitId;
    }

    public override TimelineFields Describe()
    {
        var data = new Dictionary<string, string?> { ["fields"] = string.Join(",", Fields) };
        foreach (var field in Fields)
        {
            data[$"field.{field}"] = DetailsEdit.ValueOf(field, Profile, Traits);
        }

        return new(null, null, data);
    }
}
