namespace Crm.Grains.Customers;

/// <summary>A single read of a customer: the customer the reader sees, or the survivor it was merged into, or neither.</summary>
[GenerateSerializer, Immutable]
public sealed record CustomerRead([property: Id(0)] CustomerView? Customer, [property: Id(1)] Guid? MergedInto);
