namespace Crm.Grains.Deals;

/// <summary>Where a deal stands, as stored state knows it (the API's enum is mapped at the edge).</summary>
public enum DealStatus
{
    Open = 0,
    Won = 1,
    Lost = 2,
}
