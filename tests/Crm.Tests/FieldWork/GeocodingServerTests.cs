using System.Net;
using Crm.Client;
using Crm.Grains.Visits;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.FieldWork;

/// <summary>
/// <c>POST /api/customers/{id}/location/geocode</c> on the real server with the standard plugin's <c>china-divisions</c>
/// geocoder loaded from the plugins folder, on both databases.
/// </summary>
public abstract class GeocodingServerTests
{
    protected abstract ServerProcess Server { get; }

    [Fact]
    public async Task The_owner_sets_the_location_from_the_address_and_near_me_finds_the_customer_there()
    {
        var world = await TestWorld.CreateAsync(Server);
        var customer = await CreateAsync(world, "浙江省杭州市西湖区文三路 90 号");

        var geocoded = (await Geocode(world.RepA, customer.Id)).EnsureStatus(HttpStatusCode.OK).Value!;

        Assert.Equal(("geocoder:china-divisions", "district", "浙江省 杭州市 西湖区"), (geocoded.Source, geocoded.Precision, geocoded.MatchedName));
        var at = new GeoPoint(geocoded.Lat, geocoded.Lon);
        Assert.InRange(GeoMath.DistanceMeters(at, new GeoPoint(30.26, 120.13)), 0, 10_000);
        Assert.InRange(geocoded.Accuracy!.Value, 1_000, 100_000);
        var stored = (await world.RepA.SendAsync<CustomerLocationDto>(HttpMethod.Get, $"/api/customers/{customer.Id}/location")).Value!;
        Assert.Equal((geocoded.Lat, geocoded.Lon, "geocoder:china-divisions", geocoded.Accuracy), (stored.Lat, stored.Lon, stored.Source, stored.Accuracy));
        Assert.Contains(customer.Id, (await world.RepA.NearbyAsync(at, 100, "mine")).Value!.Items.Select(c => c.Id));
    }

    [Fact]
    public async Task A_manager_geocodes_a_city_address_at_city_precision()
    {
        var world = await TestWorld.CreateAsync(Server);
        var customer = await CreateAsync(world, "四川省绵阳市");

        var geocoded = (await Geocode(world.Manager, customer.Id)).EnsureStatus(HttpStatusCode.OK).Value!;

        Assert.Equal("city", geocoded.Precision);
        Assert.InRange(GeoMath.DistanceMeters(new GeoPoint(geocoded.Lat, geocoded.Lon), new GeoPoint(31.47, 104.68)), 0, 10_000);
    }

    [Fact]
    public async Task No_address_is_a_conflict_an_unknown_place_is_unprocessable_and_another_rep_is_refused()
    {
        var world = await TestWorld.CreateAsync(Server);
        var withoutAddress = await CreateAsync(world, null);
        var nowhere = await CreateAsync(world, "文三路 90 号");
        var located = await CreateAsync(world, "衢州市柯城区");

        var none = await Geocode(world.RepA, withoutAddress.Id);
        Assert.Equal((HttpStatusCode.Conflict, ErrorCodes.NoAddress), (none.Status, none.Code));
        var unknown = await Geocode(world.RepA, nowhere.Id);
        Assert.Equal((HttpStatusCode.UnprocessableEntity, ErrorCodes.AddressNotGeocoded), (unknown.Status, unknown.Code));
        Assert.Equal("文三路 90 号", unknown.Problem!.Value.GetProperty("address").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await world.RepA.SendAsync<CustomerLocationDto>(HttpMethod.Get, $"/api/customers/{nowhere.Id}/location")).Status);

        var otherRep = await Geocode(world.RepB, located.Id);
        Assert.Equal((HttpStatusCode.NotFound, ErrorCodes.NotFound), (otherRep.Status, otherRep.Code));
        Assert.Equal(HttpStatusCode.NotFound, (await world.RepA.SendAsync<CustomerLocationDto>(HttpMethod.Get, $"/api/customers/{located.Id}/location")).Status);
    }

    private static Task<ApiResponse<GeocodedLocationDto>> Geocode(CrmApi api, Guid customerId) =>
        api.SendAsync<GeocodedLocationDto>(HttpMethod.Post, $"/api/customers/{customerId}/location/geocode");

    private static async Task<CustomerDto> CreateAsync(TestWorld world, string? address) =>
        (await world.Admin.CreateCustomerAsync(new CreateCustomerRequest($"Geocoded {Guid.NewGuid():N}", Address: address, PoolId: world.PoolId,
            OwnerId: world.RepA.UserId))).EnsureStatus(HttpStatusCode.Created).Value!;
}

[Collection(ServerCollection.Name)]
public sealed class SqliteGeocodingServerTests(ServerFixture fixture) : GeocodingServerTests
{
    protected override ServerProcess Server => fixture.Server;
}

[Collection(PostgresServerCollection.Name)]
public sealed class PostgresGeocodingServerTests(PostgresServerFixture fixture) : GeocodingServerTests
{
    protected override ServerProcess Server => fixture.Server;
}
