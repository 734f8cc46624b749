namespace Crm.Grains.Org;

/// <summary>Where a rep stands towards a public pool.</summary>
public enum PoolStanding
{
    /// <summary>May see the pool's unowned customers and claim them.</summary>
    Member,
    /// <summary>Under the pool's unit, but the pool lists its members and this rep is not one of them.</summary>
    NotListed,
    /// <summary>Outside the pool's unit: the pool does not exist as far as this rep is concerned.</summary>
    Outside,
}
