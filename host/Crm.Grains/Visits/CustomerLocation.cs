namespace Crm.Grains.Visits;

/// <summary>
/// Where a customer is: set by hand (<c>manual</c>), by a geocoder plugin (<c>geocoder:name</c>) or from a visit.
/// <see cref="AccuracyMeters"/> is the radius the point is good to (a district centroid: kilometres).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CustomerLocation(double Lat, double Lon, string Source, double? AccuracyMeters, DateTimeOffset SetAt)
{
    public GeoPoint Point => new(Lat, Lon);
}
