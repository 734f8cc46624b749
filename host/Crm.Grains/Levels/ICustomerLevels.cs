using Crm.Grains.Common;
using Crm.Grains.Customers;

namespace Crm.Grains.Levels;

/// <summary>The level commands of a customer (key: customer id), implemented by the customer grain.</summary>
public interface ICustomerLevels : IGrainWithGuidKey
{
    /// <summary>
    /// Sets the level by hand (the rule then leaves it alone), or with a null hands it back to the rule, which
    /// recomputes it at once from the customer's orders.
    /// </summary>
    Task<Result<CustomerView>> SetLevel(string? level, string? reason, Actor actor);
}
