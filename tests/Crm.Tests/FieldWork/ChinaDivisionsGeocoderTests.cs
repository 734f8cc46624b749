using Crm.Grains.Visits;
using Crm.Plugins.Standard.Geocoding;
using Crm.Sdk;

namespace Crm.Tests.FieldWork;

/// <summary>
/// The standard plugin's offline geocoder: its bundled division points and what addresses it reads. Reference points
/// are the cities' centres as atlases give them; a city's point is its urban core district's seat, so kilometres apart.
/// </summary>
public sealed class ChinaDivisionsGeocoderTests
{
    private static readonly ChinaDivisionsGeocoder Geocoder = new();

    [Fact]
    public void The_bundled_table_locates_nearly_every_division_of_the_mainland()
    {
        // 31 provinces and municipalities, 333 prefecture-level divisions and 2,863 counties are in the division table.
        Assert.InRange(DivisionPoints.Instance.Count, 3_100, 3_230);
        foreach (var province in new[] { "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43",
                     "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65" })
        {
            var point = DivisionPoints.Instance.Of(province);
            Assert.True(point is not null, $"province {province} has no point");
            Assert.InRange(point!.Lat, 18, 54);   // mainland China: Hainan to Mohe
            Assert.InRange(point.Lon, 73, 135);
        }
    }

    [Theory]
    [InlineData("浙江省杭州市", 30.27, 120.15, "浙江省 杭州市")]
    [InlineData("衢州市", 28.97, 118.87, "浙江省 衢州市")]
    [InlineData("四川省绵阳市", 31.47, 104.68, "四川省 绵阳市")]
    [InlineData("广州市", 23.13, 113.26, "广东省 广州市")]
    [InlineData("Hangzhou, Zhejiang", 30.27, 120.15, "浙江省 杭州市")]
    public async Task A_city_is_placed_at_its_centre_within_ten_kilometres(string address, double lat, double lon, string matched)
    {
        var result = await Geocoder.GeocodeAsync(new GeocodeRequest { Address = address }, CancellationToken.None);

        Assert.True(result.Found, result.Reason);
        Assert.Equal((GeocodePrecision.City, matched), (result.Precision, result.MatchedName));
        Assert.InRange(GeoMath.DistanceMeters(new GeoPoint(result.Latitude, result.Longitude), new GeoPoint(lat, lon)), 0, 10_000);
        Assert.InRange(result.AccuracyMeters, 20_000, 300_000); // a city reaches tens of kilometres from its centre
    }

    [Theory]
    [InlineData("浙江省杭州市西湖区文三路 90 号", 30.26, 120.13, "浙江省 杭州市 西湖区")]
    [InlineData("杭州西湖区文三路90号", 30.26, 120.13, "浙江省 杭州市 西湖区")]
    [InlineData("衢州市柯城区县西街1号", 28.97, 118.87, "浙江省 衢州市 柯城区")]
    [InlineData("北京市朝阳区建国路 88 号", 39.92, 116.44, "北京市 朝阳区")]
    [InlineData("四川绵阳江油市李白大道", 31.78, 104.75, "四川省 绵阳市 江油市")]
    public async Task A_district_is_placed_at_its_seat(string address, double lat, double lon, string matched)
    {
        var result = await Geocoder.GeocodeAsync(new GeocodeRequest { Address = address }, CancellationToken.None);

        Assert.True(result.Found, result.Reason);
        Assert.Equal((GeocodePrecision.District, matched), (result.Precision, result.MatchedName));
        Assert.InRange(GeoMath.DistanceMeters(new GeoPoint(result.Latitude, result.Longitude), new GeoPoint(lat, lon)), 0, 10_000);
        Assert.InRange(result.AccuracyMeters, 1_000, 150_000);
    }

    [Fact]
    public async Task A_province_alone_is_placed_at_its_capital_with_the_provinces_reach()
    {
        var result = await Geocoder.GeocodeAsync(new GeocodeRequest { Address = "四川省" }, CancellationToken.None);

        Assert.Equal((true, GeocodePrecision.Province), (result.Found, result.Precision));
        Assert.InRange(GeoMath.DistanceMeters(new GeoPoint(result.Latitude, result.Longitude), new GeoPoint(30.66, 104.07)), 0, 10_000); // 成都
        Assert.InRange(result.AccuracyMeters, 300_000, 1_500_000);
    }

    [Fact]
    public async Task A_district_newer_than_the_outlines_falls_back_to_its_city()
    {
        // 临平区 was split from 余杭区 in 2021: the table knows its code, the outlines do not.
        var result = await Geocoder.GeocodeAsync(new GeocodeRequest { Address = "浙江省杭州市临平区南苑街道" }, CancellationToken.None);

        Assert.Equal((true, GeocodePrecision.City, "浙江省 杭州市"), (result.Found, result.Precision, result.MatchedName));
    }

    [Theory]
    [InlineData("西湖区文三路 90 号")]   // 杭州 and 南昌 both have one
    [InlineData("朝阳区")]             // 北京 and 长春
    [InlineData("1600 Amphitheatre Parkway, Mountain View")]
    [InlineData("文三路 90 号")]
    public async Task An_address_that_names_no_single_place_is_not_found(string address)
    {
        var result = await Geocoder.GeocodeAsync(new GeocodeRequest { Address = address }, CancellationToken.None);

        Assert.False(result.Found);
        Assert.False(string.IsNullOrWhiteSpace(result.Reason));
    }

    [Fact]
    public async Task A_street_named_after_a_city_does_not_move_the_address_there()
    {
        // 中山 is a city in 广东; here it is a road in 衢州.
        var result = await Geocoder.GeocodeAsync(new GeocodeRequest { Address = "衢州市中山路 1 号" }, CancellationToken.None);

        Assert.Equal("浙江省 衢州市", result.MatchedName);
    }
}
