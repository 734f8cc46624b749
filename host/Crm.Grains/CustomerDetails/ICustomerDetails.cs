using Crm.Grains.Common;
using Crm.Grains.Customers;

namespace Crm.Grains.CustomerDetails;

/// <summary>
/// Editing a customer's contact details and traits (key: customer id), implemented by the customer grain: the edit is an
/// event on the customer's log. Only the customer's owner, or a manager above it, edits them.
/// </summary>
public interface ICustomerDetails : IGrainWithGuidKey
{
    /// <summary>
    /// Applies the edit; with <paramref name="expectedVersion"/>, only if the customer is still at that version (412
    /// <c>precondition-failed</c> with its current version otherwise: someone edited it since the caller read it).
    /// </summary>
    Task<Result<CustomerView>> EditDetails(DetailsEdit edit, Actor actor, long? expectedVersion);
}
