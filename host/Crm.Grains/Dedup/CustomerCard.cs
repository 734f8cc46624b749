using Crm.Grains.Common;
using Crm.Sdk;

namespace Crm.Grains.Dedup;

/// <summary>The snapshot strategies compare: the identity fields of a customer or lead.</summary>
public static class CustomerCard
{
    public static CustomerSnapshot From(Guid id, Customers.NewCustomer request) =>
        From(id, Customers.CustomerProfile.From(request), request.PoolId, request.OwnerId, default);

    public static CustomerSnapshot From(Customers.CustomerView customer) =>
        From(customer.Id, customer.Profile, customer.PoolId, customer.OwnerId, customer.CreatedAt);

    public static CustomerSnapshot From(Guid id, Customers.CustomerProfile profile, string? poolId, string? ownerId, DateTimeOffset createdAt) => new()
    {
        Id = id.ToString(),
        Name = profile.Name,
        Company = profile.Company,
        Phone = profile.Phone,
        Email = profile.Email,
        TaxId = profile.TaxId,
        Address = profile.Address,
        Source = profile.Source,
        PoolId = poolId,
        OwnerId = ownerId,
        CreatedAt = createdAt,
    };
}
