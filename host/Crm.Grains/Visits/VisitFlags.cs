namespace Crm.Grains.Visits;

/// <summary>What a visit can be flagged with; managers filter on these. Refusals (no consent, off hours) are not flags.</summary>
public static class VisitFlags
{
    /// <summary>Checked in farther from the customer than the configured distance.</summary>
    public const string Far = "far";

    /// <summary>The customer has no location, so the distance could not be checked.</summary>
    public const string NoCustomerLocation = "no-customer-location";

    /// <summary>The rep would have had to travel faster than possible since its previous check-in (a faked location).</summary>
    public const string ImpossibleSpeed = "impossible-speed";

    /// <summary>Outside working hours, in a unit that allows it.</summary>
    public const string OutsideHours = "outside-hours";

    /// <summary>Checked out sooner than the configured minimum visit.</summary>
    public const string TooShort = "too-short";

    /// <summary>Checked out far from the customer.</summary>
    public const string LeftFar = "left-far";
}
