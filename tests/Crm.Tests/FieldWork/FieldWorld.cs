using System.Net;
using Crm.Client;
using Crm.Grains.Visits;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.FieldWork;

/// <summary>Arrangements the field-work API tests share: points at a distance, check-in times inside working hours, requests.</summary>
public static class FieldWorld
{
    private const double MetersPerDegree = GeoMath.EarthRadiusMeters * Math.PI / 180;

    /// <summary>
    /// 10:00 UTC on the latest weekday whose morning (until 14:00) is already past: the server runs on the real clock
    /// and refuses check-ins in the future or outside its default hours (08:00 to 20:00 UTC, Monday to Friday).
    /// </summary>
    public static DateTimeOffset WorkingMorning()
    {
        var now = DateTimeOffset.UtcNow;
        var day = new DateTimeOffset(now.Year, now.Month, now.Day, 10, 0, 0, TimeSpan.Zero);
        while (day.AddHours(4) > now || day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            day = day.AddDays(-1);
        }

        return day;
    }

    /// <summary>03:00 UTC within the last day: outside the default working hours on any day.</summary>
    public static DateTimeOffset Night()
    {
        var now = DateTimeOffset.UtcNow;
        var night = new DateTimeOffset(now.Year, now.Month, now.Day, 3, 0, 0, TimeSpan.Zero);
        return night > now ? night.AddDays(-1) : night;
    }

    /// <summary>A random place on land or sea, away from the poles and the antimeridian: other tests' customers are far.</summary>
    public static GeoPoint RandomCenter() => new(Random.Shared.NextDouble() * 120 - 60, Random.Shared.NextDouble() * 340 - 170);

    public static GeoPoint North(this GeoPoint from, double meters) => new(from.Lat + meters / MetersPerDegree, from.Lon);

    public static GeoPoint East(this GeoPoint from, double meters) =>
        new(from.Lat, from.Lon + meters / MetersPerDegree / Math.Cos(from.Lat * Math.PI / 180));

    public static async Task SetLocationAsync(this CrmApi api, Guid customerId, GeoPoint point, double? accuracy = 15) =>
        (await api.SendAsync<CustomerLocationDto>(HttpMethod.Put, $"/api/customers/{customerId}/location", new SetLocationRequest(point.Lat, point.Lon, accuracy)))
        .EnsureStatus(HttpStatusCode.OK);

    public static async Task ConsentAsync(this CrmApi rep, string deviceId) =>
        (await rep.SendAsync<LocationConsentDto>(HttpMethod.Put, $"/api/reps/{rep.UserId}/location-consents", new LocationConsentRequest(deviceId, true)))
        .EnsureStatus(HttpStatusCode.OK);

    public static Task<ApiResponse<VisitDto>> CheckInAsync(this CrmApi rep, Guid customerId, GeoPoint at, DateTimeOffset when, string deviceId = "phone-1",
        IReadOnlyList<string>? photos = null) =>
        rep.SendAsync<VisitDto>(HttpMethod.Post, $"/api/customers/{customerId}/visits",
            new CheckInRequest(at.Lat, at.Lon, 12, when, deviceId, photos, "met the buyer"));

    public static Task<ApiResponse<VisitDto>> CheckOutAsync(this CrmApi rep, string visitId, DateTimeOffset when, GeoPoint? at = null) =>
        rep.SendAsync<VisitDto>(HttpMethod.Post, $"/api/visits/{visitId}/check-out", new CheckOutRequest(at?.Lat, at?.Lon, when));

    public static Task<ApiResponse<Page<NearbyCustomerDto>>> NearbyAsync(this CrmApi api, GeoPoint at, double radius, string? scope = null) =>
        api.SendAsync<Page<NearbyCustomerDto>>(HttpMethod.Get,
            FormattableString.Invariant($"/api/customers/nearby?lat={at.Lat}&lon={at.Lon}&radius={radius}") + (scope is null ? "" : $"&scope={scope}"));

    public static async Task<CustomerDto> OwnedAsync(this TestWorld world, CrmApi rep, string name)
    {
        var lead = await world.NewLeadAsync(name, company: null, phone: null);
        (await rep.ClaimAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK);
        return lead;
    }
}
