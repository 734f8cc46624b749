using System.Net;
using Crm.Client;
using Crm.Tests.Infrastructure;
using Crm.Tests.Plugins;

namespace Crm.Tests.FieldWork;

/// <summary>
/// The HTTP geocoder sample end to end: a real server loads <c>Acme.HttpGeocoder</c> from its plugins folder, is set to
/// use it with a base URL, key and timeout, and geocodes customers' addresses against a local geocoding service the
/// test runs (fixed JSON per address). A found address sets the location; an unknown one is a 422; a failing or late
/// service is a 503 counted as the geocoder's fault, and the server stays up.
/// </summary>
public sealed class HttpGeocoderTests : IAsyncLifetime
{
    private const string Key = "test-key-42";
    private readonly TempDirectory _data = new("crm-http-geocoder");
    private readonly PluginDirectory _plugins = new PluginDirectory().WithStandard().WithBuildOutput(
        Path.Combine(RepoPaths.Root, "plugins", "samples", "Acme.HttpGeocoder", "bin", RepoPaths.Configuration, "net10.0"), "Acme.HttpGeocoder");
    private GeocodingService _service = null!;
    private ServerProcess _server = null!;

    public async Task InitializeAsync()
    {
        _service = await GeocodingService.StartAsync(Key);
        _server = await ServerProcess.StartAsync(_data.Path, new Dictionary<string, string>
        {
            ["Crm__Plugins__Directory"] = _plugins.Path,
            ["Crm__FieldWork__Geocoder"] = "acme-http",
            ["Crm__FieldWork__GeocoderSettings__BaseUrl"] = _service.BaseUrl,
            ["Crm__FieldWork__GeocoderSettings__Key"] = Key,
            ["Crm__FieldWork__GeocoderSettings__TimeoutSeconds"] = "2",
            ["Crm__FieldWork__GeocodeTimeout"] = "00:00:05",
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _service.DisposeAsync();
        _plugins.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task Addresses_are_geocoded_by_the_service_and_its_misses_and_failures_are_told_apart()
    {
        var world = await TestWorld.CreateAsync(_server);
        _service.Answer("1 Rue de Rivoli, Paris", """{"status":"ok","lat":48.8559,"lon":2.3592,"accuracy":25,"precision":"address","formatted":"1 Rue de Rivoli, 75004 Paris"}""")
            .Answer("Nowhere Lane 0", """{"status":"not-found","message":"no such street"}""")
            .Fail("Broken Road 5")
            .Delay("Slow Street 9", TimeSpan.FromSeconds(10));
        var paris = await CreateAsync(world, "1 Rue de Rivoli, Paris");
        var nowhere = await CreateAsync(world, "Nowhere Lane 0");
        var unknown = await CreateAsync(world, "Unlisted Avenue 7");
        var broken = await CreateAsync(world, "Broken Road 5");
        var slow = await CreateAsync(world, "Slow Street 9");

        var located = (await Geocode(world.RepA, paris)).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal((48.8559, 2.3592, 25.0, "geocoder:acme-http", "address", "1 Rue de Rivoli, 75004 Paris"),
            (located.Lat, located.Lon, located.Accuracy!.Value, located.Source, located.Precision, located.MatchedName));
        var stored = (await world.RepA.SendAsync<CustomerLocationDto>(HttpMethod.Get, $"/api/customers/{paris}/location")).Value!;
        Assert.Equal((48.8559, 2.3592, "geocoder:acme-http"), (stored.Lat, stored.Lon, stored.Source));

        foreach (var (customer, reason) in new[] { (nowhere, "no such street"), (unknown, "knows no such address") })
        {
            var miss = await Geocode(world.RepA, customer);
            Assert.Equal((HttpStatusCode.UnprocessableEntity, ErrorCodes.AddressNotGeocoded), (miss.Status, miss.Code));
            Assert.Contains(reason, miss.Problem!.Value.GetProperty("detail").GetString());
        }

        var failed = await Geocode(world.RepA, broken);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, ErrorCodes.GeocoderUnavailable), (failed.Status, failed.Code));
        var late = await Geocode(world.RepA, slow);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, ErrorCodes.GeocoderUnavailable), (late.Status, late.Code));
        Assert.Equal(HttpStatusCode.NotFound, (await world.RepA.SendAsync<CustomerLocationDto>(HttpMethod.Get, $"/api/customers/{broken}/location")).Status);

        // Every address reached the service with the configured key; the failures are the geocoder's faults.
        Assert.Equal(["1 Rue de Rivoli, Paris", "Nowhere Lane 0", "Unlisted Avenue 7", "Broken Road 5", "Slow Street 9"], _service.Asked);
        var plugin = (await world.Admin.SendAsync<PluginListDto>(HttpMethod.Get, "/api/plugins")).EnsureStatus(HttpStatusCode.OK).Value!
            .Items.Single(p => p.Name == "Acme.HttpGeocoder");
        Assert.Equal(["acme-http"], plugin.Geocoders);
        var health = plugin.Strategies.Single();
        Assert.Equal(("geocoder", 5L, 2L), (health.Kind, health.Calls, health.Faults));
    }

    private static Task<ApiResponse<GeocodedLocationDto>> Geocode(CrmApi api, Guid customerId) =>
        api.SendAsync<GeocodedLocationDto>(HttpMethod.Post, $"/api/customers/{customerId}/location/geocode");

    private static async Task<Guid> CreateAsync(TestWorld world, string address) =>
        (await world.Admin.CreateCustomerAsync(new CreateCustomerRequest($"Geocoded {Guid.NewGuid():N}", Address: address, PoolId: world.PoolId,
            OwnerId: world.RepA.UserId))).EnsureStatus(HttpStatusCode.Created).Value!.Id;
}
