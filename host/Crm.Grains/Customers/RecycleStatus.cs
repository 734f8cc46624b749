namespace Crm.Grains.Customers;

/// <summary>How a customer grain answered a rep grain's request to recycle it.</summary>
public enum RecycleStatus
{
    /// <summary>It was past its deadline and is back in its public pool now.</summary>
    Recycled,

    /// <summary>Its deadline is not reached (a follow-up, a deal or a rule change moved it): see the facts.</summary>
    NotDue,

    /// <summary>The asking rep does not own it (any more): the rep's entry is stale.</summary>
    NotOwned,
}
