using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.CustomFields;
using Crm.Grains.Customers;

namespace Crm.Server.Api.Customers;

/// <summary>
/// The API edge of the customer grain: its own records to and from the wire records of Crm.Client. Grain calls and
/// stored state never carry wire types, so renaming a property of the client package changes only these mappings.
/// </summary>
public static class CustomerWire
{
    public static CustomerDto ToDto(this CustomerView v) => new(v.Id, v.Name, v.Company, v.Phone, v.Email, v.TaxId, v.Address, v.Source,
        (Stage)v.Stage, v.PoolId, v.OwnerId, v.CreatedAt, v.UpdatedAt, v.LastFollowUpAt, v.Version, v.Industry, v.Region, v.Language, v.Level,
        CustomFieldRules.ToJson(v.CustomFields));

    public static Result<CustomerDto> ToDto(this Result<CustomerView> result) => result.Map(ToDto);

    public static NewCustomer ToNewCustomer(this CreateCustomerRequest r) => new(r.Name, r.Company, r.Phone, r.Email, r.TaxId, r.Address, r.Source,
        r.PoolId, r.OwnerId, r.Industry, r.Region, r.Language, NewCustomer.JsonTexts(r.CustomFields));

    /// <summary>A checked request (its type is given) as the grain takes it.</summary>
    public static NewFollowUp ToNewFollowUp(this FollowUpRequest r) =>
        new(r.Type!.Value, r.Outcome, r.Text, r.At, r.Location);

    public static TimelineEntryDto ToDto(this HistoryEntry e) => new(e.Seq, e.At, e.Kind, e.ActorId, e.Reason, e.Text, e.Data, e.Position);

    public static Result<TimelineEntryDto> ToDto(this Result<HistoryEntry> result) => result.Map(ToDto);

    public static TimelinePage ToDto(this HistoryPage page) => new(page.Items.Select(ToDto).ToList(), page.NextBefore);
}
