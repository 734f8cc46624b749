namespace Crm.Sdk;

/// <summary>How precisely a geocoded point places the address, finest first.</summary>
public enum GeocodePrecision
{
    /// <summary>The building or the house number.</summary>
    Address,

    /// <summary>The street.</summary>
    Street,

    /// <summary>The county or district (区/县): its seat or centre.</summary>
    District,

    /// <summary>The city (a prefecture-level city): its centre.</summary>
    City,

    /// <summary>The province (or a municipality): its capital or centre.</summary>
    Province,
}
