using Crm.Grains.Common;
using Crm.Sdk;

namespace Crm.Grains.Dedup;

/// <summary>The snapshot strategies compare: the identity fields of a customer or lead.</summary>
public static class CustomerCard
{
    public static CustomerSnapshot From(Guid id, Customers.NewCustomer request) =>
        From(id, Customers.CustomerProfile.From(request), request.PoolId, request.OwnerId, default);

    public static CustomerSnapshot From(Customers.CustomerView customer) => new()
    {
        Id = customer.Id.ToString(),
        Name = customer.Name,
        Company = customer.Company,
        Phone = customer.Phone,
        Email = customer.Email,
        TaxId = customer.TaxId,
        Address = customer.Address,
        Source = customer.Source,
        PoolId = customer.PoolId,
        OwnerId = customer.OwnerId,
        CreatedAt = customer.CreatedAt,
    };

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
