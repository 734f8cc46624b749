using Crm.Client;
using Crm.Grains.Visits;
using Crm.Server.Api.Common;
using Crm.Server.Api.Customers;
using Crm.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.FieldWork;

/// <summary>Customers' locations and "near me" (docs/field-work.md).</summary>
public static class LocationApi
{
    public const double MaxRadiusMeters = 50_000;

    /// <summary>On the shared <c>/api/customers</c> group (Composition/ApiComposition).</summary>
    public static RouteGroupBuilder MapLocationApi(this RouteGroupBuilder customers)
    {
        var api = customers.MapGroup("").WithTags("Field work");
        api.MapGet("/nearby", Nearby);
        api.MapGet("/{id:guid}/location", Get);
        api.MapPut("/{id:guid}/location", Set);
        api.MapPost("/{id:guid}/location/geocode", Geocode);
        return customers;
    }

    /// <summary>Visible customers within <c>radius</c> metres (default 1000, at most 50 km) of a point, nearest first.</summary>
    private static async Task<Results<Ok<Page<NearbyCustomerDto>>, ValidationProblem>> Nearby(
        string? lat, string? lon, string? radius, NearbyScope? scope, int? limit, HttpContext http, FieldWorkQueries queries)
    {
        // scope is taken by its lower-case name before this runs (Api/Common/EnumQueryValues).
        var validation = new Validation();
        var (la, lo, r) = (validation.Number(lat, "lat"), validation.Number(lon, "lon"), validation.Number(radius, "radius") ?? 1000);
        validation.Point(la, lo)
            .Check(r is > 0 and <= MaxRadiusMeters, "radius", $"The radius is metres, more than 0 and at most {MaxRadiusMeters:0}.")
            .Check(limit is null or >= 1 and <= 500, "limit", "Must be between 1 and 500.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        return TypedResults.Ok(await queries.NearbyAsync(la!.Value, lo!.Value, r, scope ?? NearbyScope.All, http.User.ToVisibility(), limit ?? 50));
    }

    private static async Task<Results<Ok<CustomerLocationDto>, ProblemHttpResult>> Get(
        Guid id, HttpContext http, IGrainFactory grains, CustomerQueries customers)
    {
        if (!await customers.IsVisibleAsync(id, http.User.ToVisibility()))
        {
            return ApiResults.NotFound("Customer", id.ToString());
        }

        return await grains.GetGrain<IFieldWorkGrain>(id).GetLocation() is { } location
            ? TypedResults.Ok(ToDto(id, location))
            : ApiResults.NotFound("Location of customer", id.ToString());
    }

    private static async Task<Results<Ok<CustomerLocationDto>, ValidationProblem, ProblemHttpResult>> Set(
        Guid id, SetLocationRequest request, HttpContext http, IGrainFactory grains)
    {
        var validation = new Validation().Point(request.Lat, request.Lon).Accuracy(request.Accuracy);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var set = await grains.GetGrain<IFieldWorkGrain>(id).SetLocation(GeoInput.ToPoint(request.Lat, request.Lon), request.Accuracy, "manual", http.User.ToActor());
        return set.Error is { } error ? (error.Status == 400 ? ApiResults.Invalid(error) : ApiResults.Problem(error)) : TypedResults.Ok(ToDto(id, set.Value!));
    }

    /// <summary>Sets the location from the customer's address with the configured geocoder (source <c>geocoder:name</c>).</summary>
    private static async Task<Results<Ok<GeocodedLocationDto>, ValidationProblem, ProblemHttpResult>> Geocode(
        Guid id, HttpContext http, IGrainFactory grains, AddressGeocoding geocoding)
    {
        var actor = http.User.ToActor();
        var customer = grains.GetGrain<IFieldWorkGrain>(id);
        var address = await customer.AddressToGeocode(actor);
        if (address.Error is { } refused)
        {
            return ApiResults.Problem(refused);
        }

        var geocoded = await geocoding.GeocodeAsync(address.Value!);
        if (geocoded.Error is { } failed)
        {
            return ApiResults.Problem(failed);
        }

        var point = geocoded.Value!;
        var set = await customer.SetLocation(new GeoPoint(point.Latitude, point.Longitude), point.AccuracyMeters, $"geocoder:{geocoding.GeocoderName}", actor);
        if (set.Error is { } error)
        {
            return error.Status == 400 ? ApiResults.Invalid(error) : ApiResults.Problem(error);
        }

        var l = set.Value!;
        return TypedResults.Ok(new GeocodedLocationDto(id, l.Lat, l.Lon, l.Source, l.AccuracyMeters, l.SetAt,
            point.Precision.ToString().ToLowerInvariant(), point.MatchedName, address.Value!));
    }

    public static CustomerLocationDto ToDto(Guid id, CustomerLocation l) => new(id, l.Lat, l.Lon, l.Source, l.AccuracyMeters, l.SetAt);
}
