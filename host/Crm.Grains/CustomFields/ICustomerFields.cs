using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Deals;

namespace Crm.Grains.CustomFields;

/// <summary>
/// The custom field commands of a customer (key: customer id), implemented by the customer grain: values are events on
/// the customer's log. Only the customer's owner, or a manager above it, changes them.
/// </summary>
public interface ICustomerFields : IGrainWithGuidKey
{
    /// <summary>Sets (or, with a null, clears) values of the customer's card; a required field may not be cleared.</summary>
    Task<Result<CustomerView>> SetCustomFields(Dictionary<string, CustomValue?> values, Actor actor);

    /// <summary>Sets (or clears) values of one of the customer's deals, open or closed.</summary>
    Task<Result<DealRecord>> SetDealCustomFields(string dealId, Dictionary<string, CustomValue?> values, Actor actor);
}
