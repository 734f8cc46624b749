namespace Crm.Sdk;

/// <summary>The answer of <see cref="IGeocoder.GeocodeAsync"/>: a point, or that the address names no place the geocoder knows.</summary>
public sealed record GeocodeResult
{
    /// <summary>True when <see cref="Latitude"/> and <see cref="Longitude"/> hold a point.</summary>
    public bool Found { get; init; }

    /// <summary>Degrees WGS 84, -90..90.</summary>
    public double Latitude { get; init; }

    /// <summary>Degrees WGS 84, -180..180.</summary>
    public double Longitude { get; init; }

    /// <summary>The radius in metres the point is good to (a district's centre: kilometres); the host uses a default of the precision when it is not a positive number.</summary>
    public double AccuracyMeters { get; init; }

    /// <summary>What the point stands for: the address itself, its street, district, city or province.</summary>
    public GeocodePrecision Precision { get; init; }

    /// <summary>The place the geocoder matched (e.g. <c>浙江省 杭州市 西湖区</c>), for the user to check; optional.</summary>
    public string? MatchedName { get; init; }

    /// <summary>For a miss, why (shown to the user).</summary>
    public string? Reason { get; init; }

    /// <summary>A point.</summary>
    /// <param name="latitude">Degrees, -90..90.</param>
    /// <param name="longitude">Degrees, -180..180.</param>
    /// <param name="accuracyMeters">The radius the point is good to, in metres.</param>
    /// <param name="precision">What the point stands for.</param>
    /// <param name="matchedName">The place matched, if the geocoder can tell.</param>
    public static GeocodeResult Located(double latitude, double longitude, double accuracyMeters, GeocodePrecision precision, string? matchedName = null) =>
        new() { Found = true, Latitude = latitude, Longitude = longitude, AccuracyMeters = accuracyMeters, Precision = precision, MatchedName = matchedName };

    /// <summary>The address names no place the geocoder knows.</summary>
    /// <param name="reason">Why, for the user.</param>
    public static GeocodeResult NotFound(string reason) => new() { Found = false, Reason = reason };
}
