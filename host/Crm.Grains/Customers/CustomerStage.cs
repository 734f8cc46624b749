namespace Crm.Grains.Customers;

/// <summary>
/// Where a customer stands in the funnel, as grains and stored state know it. The API's <c>Crm.Client.Stage</c> is
/// mapped to and from it at the edge, so renaming the wire enum never changes what is stored; the values are the same.
/// </summary>
public enum CustomerStage
{
    Lead = 0,
    Opportunity = 1,
    Customer = 2,
    Lost = 3,
    Invalid = 4,
}
