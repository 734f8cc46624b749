using Crm.Grains.Customers;
using Crm.Grains.Customers.Events;

namespace Crm.Grains.CustomFields.Events;

/// <summary>
/// Custom field values of the customer's card, or of one of its deals (<see cref="DealId"/>), were set or cleared (a null
/// value). Values given at creation ride on <c>Created</c> and <c>DealOpened</c> instead.
/// </summary>
public sealed record CustomFieldsChanged(
    DateTimeOffset At,
    string? ActorId,
    string? DealId,
    IReadOnlyDictionary<string, CustomValue?> Values) : CustomerEvent(At, ActorId)
{
    public override string Kind => TimelineKinds.CustomFieldsChanged;

    public override void ApplyTo(CustomerState state)
    {
        if (DealId is null)
        {
            state.CustomFields = CustomFieldRules.Merge(state.CustomFields, Values);
            return;
        }

        var deal = state.Deals[DealId];
        deal.CustomFields = CustomFieldRules.Merge(deal.CustomFields, Values);
        deal.UpdatedAt = At;
        deal.Version = state.Version;
    }

    public override TimelineFields Describe()
    {
        var data = new Dictionary<string, string?> { ["dealId"] = DealId };
        foreach (var (key, value) in Values)
        {
            data[$"field.{key}"] = value?.Shown();
        }

        return new(null, null, data);
    }
}
