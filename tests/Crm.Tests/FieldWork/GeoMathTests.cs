using Crm.Grains.Visits;

namespace Crm.Tests.FieldWork;

/// <summary>Haversine distances against known city pairs, and the bounding box the spatial index is asked for.</summary>
public sealed class GeoMathTests
{
    public static readonly GeoPoint Beijing = new(39.9042, 116.4074);
    public static readonly GeoPoint Shanghai = new(31.2304, 121.4737);
    public static readonly GeoPoint Moscow = new(55.7558, 37.6173);
    public static readonly GeoPoint StPetersburg = new(59.9343, 30.3351);
    public static readonly GeoPoint NewYork = new(40.7128, -74.0060);
    public static readonly GeoPoint London = new(51.5074, -0.1278);
    public static readonly GeoPoint Sydney = new(-33.8688, 151.2093);
    public static readonly GeoPoint Auckland = new(-36.8485, 174.7633);

    [Theory]
    [InlineData("Beijing-Shanghai", 1067)]
    [InlineData("Moscow-St Petersburg", 634)]
    [InlineData("New York-London", 5570)]
    [InlineData("Sydney-Auckland", 2156)]
    public void Distances_between_known_cities_match_within_one_percent(string pair, double expectedKm)
    {
        var (a, b) = pair switch
        {
            "Beijing-Shanghai" => (Beijing, Shanghai),
            "Moscow-St Petersburg" => (Moscow, StPetersburg),
            "New York-London" => (NewYork, London),
            _ => (Sydney, Auckland),
        };

        var km = GeoMath.DistanceMeters(a, b) / 1000;

        Assert.InRange(km, expectedKm * 0.99, expectedKm * 1.01);
        Assert.Equal(km, GeoMath.DistanceMeters(b, a) / 1000, 6);
    }

    [Fact]
    public void A_point_is_at_distance_zero_from_itself_and_a_degree_of_latitude_is_about_111_km()
    {
        Assert.Equal(0, GeoMath.DistanceMeters(Beijing, Beijing));
        Assert.InRange(GeoMath.DistanceMeters(30, 120, 31, 120), 111_000, 111_400);
    }

    [Theory]
    [InlineData(39.9, 116.4, 5_000)]
    [InlineData(59.9, 30.3, 20_000)]
    [InlineData(-33.8, 151.2, 1_000)]
    public void The_bounding_box_holds_every_point_within_the_radius(double lat, double lon, double radius)
    {
        var box = GeoMath.BoundingBox(lat, lon, radius);
        for (var bearing = 0; bearing < 360; bearing += 15)
        {
            // A point just inside the radius on this bearing (small-distance approximation, shrunk 0.5 % to stay inside).
            var r = radius * 0.995 / GeoMath.EarthRadiusMeters;
            var pLat = lat + r * Math.Cos(bearing * Math.PI / 180) * 180 / Math.PI;
            var pLon = lon + r * Math.Sin(bearing * Math.PI / 180) * 180 / Math.PI / Math.Cos(pLat * Math.PI / 180);
            Assert.True(GeoMath.DistanceMeters(lat, lon, pLat, pLon) <= radius);
            Assert.InRange(pLat, box.MinLat, box.MaxLat);
            Assert.InRange(pLon, box.MinLon, box.MaxLon);
        }
    }

    [Theory]
    [InlineData(91, 0, false)]
    [InlineData(-90, 180, true)]
    [InlineData(10, 181, false)]
    [InlineData(0, 0, false)]
    [InlineData(double.NaN, 10, false)]
    [InlineData(31.2, 121.5, true)]
    public void Coordinates_are_checked_for_range_and_the_no_fix_value(double lat, double lon, bool valid) =>
        Assert.Equal(valid, GeoMath.IsValid(lat, lon));
}
