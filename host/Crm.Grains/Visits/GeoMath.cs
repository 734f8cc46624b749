namespace Crm.Grains.Visits;

/// <summary>
/// Distances on the earth as a sphere (haversine, mean radius 6,371,008.8 m): within about 0.5 % of the ellipsoid,
/// which is well inside what a phone's fix or a customer's geocoded centroid can tell apart.
/// </summary>
public static class GeoMath
{
    public const double EarthRadiusMeters = 6_371_008.8;

    public static double DistanceMeters(double lat1, double lon1, double lat2, double lon2)
    {
        var dLat = Radians(lat2 - lat1);
        var dLon = Radians(lon2 - lon1);
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2)
            + Math.Cos(Radians(lat1)) * Math.Cos(Radians(lat2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusMeters * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    public static double DistanceMeters(GeoPoint a, GeoPoint b) => DistanceMeters(a.Lat, a.Lon, b.Lat, b.Lon);

    /// <summary>
    /// The latitude/longitude box that holds every point within <paramref name="radiusMeters"/> of the centre: what a
    /// spatial index is asked for before the exact distance filters. Near a pole or across the antimeridian the box
    /// widens to all longitudes (rare for a CRM, and still correct).
    /// </summary>
    public static (double MinLat, double MaxLat, double MinLon, double MaxLon) BoundingBox(double lat, double lon, double radiusMeters)
    {
        var dLat = radiusMeters / EarthRadiusMeters * 180 / Math.PI;
        var minLat = Math.Max(-90, lat - dLat);
        var maxLat = Math.Min(90, lat + dLat);
        var widest = Math.Max(Math.Abs(minLat), Math.Abs(maxLat));
        if (widest >= 89.9)
        {
            return (minLat, maxLat, -180, 180);
        }

        var dLon = dLat / Math.Cos(Radians(widest));
        if (lon - dLon < -180 || lon + dLon > 180)
        {
            return (minLat, maxLat, -180, 180);
        }

        return (minLat, maxLat, lon - dLon, lon + dLon);
    }

    /// <summary>Whether a coordinate pair is on the earth; (0, 0) is refused too, as it is the classic "no fix" value.</summary>
    public static bool IsValid(double lat, double lon) =>
        double.IsFinite(lat) && double.IsFinite(lon) && lat is >= -90 and <= 90 && lon is >= -180 and <= 180 && !(lat == 0 && lon == 0);

    private static double Radians(double degrees) => degrees * Math.PI / 180;
}
