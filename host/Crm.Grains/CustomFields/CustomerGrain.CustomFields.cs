using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.CustomFields;
using Crm.Grains.CustomFields.Events;
using Crm.Grains.Deals;

namespace Crm.Grains.Customers;

/// <summary>The custom field commands of the customer grain (<see cref="ICustomerFields"/>) and the card-completeness check the other commands ask.</summary>
public sealed partial class CustomerGrain : ICustomerFields
{
    public async Task<Result<CustomerView>> SetCustomFields(Dictionary<string, CustomValue?> values, Actor actor)
    {
        if (await OwnerOrManagerAsync(actor, "Only the rep who owns this customer, or a manager, may change its card.") is { } refused)
        {
            return refused;
        }

        var changes = Changes(S.CustomFields, values);
        if (changes.Count == 0)
        {
            return Dto();
        }

        if (await IncompleteAsync(CustomFieldEntity.Customer, CustomFieldRules.Merge(S.CustomFields, changes), null) is { } incomplete)
        {
            return incomplete;
        }

        await RaiseAsync(new CustomFieldsChanged(clock.GetUtcNow(), actor.UserId, null, changes));
        return Dto();
    }

    public async Task<Result<DealRecord>> SetDealCustomFields(string dealId, Dictionary<string, CustomValue?> values, Actor actor)
    {
        if (await OwnerOrManagerAsync(actor, "Only the rep who owns this customer, or a manager, may change its deals.") is { } refused)
        {
            return refused;
        }

        if (!S.Deals.TryGetValue(dealId, out var deal))
        {
            return CrmError.NotFound("Deal", dealId);
        }

        var changes = Changes(deal.CustomFields, values);
        if (changes.Count == 0)
        {
            return deal;
        }

        if (await IncompleteAsync(CustomFieldEntity.Deal, CustomFieldRules.Merge(deal.CustomFields, changes), null) is { } incomplete)
        {
            return incomplete;
        }

        await RaiseAsync(new CustomFieldsChanged(clock.GetUtcNow(), actor.UserId, dealId, changes));
        return S.Deals[dealId];
    }

    /// <summary>
    /// Card completeness: the required fields (always), and those the definitions require at <paramref name="stage"/>
    /// when the card moves there. Answers a field error naming the first missing field.
    /// </summary>
    private async Task<CrmError?> IncompleteAsync(CustomFieldEntity entity, IReadOnlyDictionary<string, CustomValue> values, string? stage)
    {
        var missing = CustomFieldRules.Missing(await fields.ForAsync(entity), values, stage, checkRequired: true);
        if (missing.Count == 0)
        {
            return null;
        }

        var card = entity == CustomFieldEntity.Customer ? "customer" : "deal";
        return CrmError.Invalid($"customFields.{missing[0]}", stage is null
            ? $"The {card} card lacks required fields: {string.Join(", ", missing)}."
            : $"Before the {card} moves to '{stage}', fill in: {string.Join(", ", missing)}.");
    }

    /// <summary>Only what differs from the card: setting a value it has, or clearing one it lacks, is no change.</summary>
    private static Dictionary<string, CustomValue?> Changes(IReadOnlyDictionary<string, CustomValue> current, Dictionary<string, CustomValue?> values) =>
        values.Where(v => v.Value is null ? current.ContainsKey(v.Key) : !current.TryGetValue(v.Key, out var old) || !Same(old, v.Value))
            .ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);

    private static bool Same(CustomValue a, CustomValue b) => a.Canonical().SequenceEqual(b.Canonical());
}
