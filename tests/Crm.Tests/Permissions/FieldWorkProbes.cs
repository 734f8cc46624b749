using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Permissions;

/// <summary>The field-work requests of the permission matrix: check-ins need the caller's consent and a working-hours time.</summary>
public static class FieldWorkProbes
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0];

    /// <summary>10:00 UTC on a past weekday (the server's default working hours are 08:00 to 20:00 UTC, Monday to Friday).</summary>
    public static DateTimeOffset WorkingTime()
    {
        var day = DateTimeOffset.UtcNow.Date.AddHours(10);
        while (day.AddHours(1) > DateTime.UtcNow || day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            day = day.AddDays(-1);
        }

        return new DateTimeOffset(day, TimeSpan.Zero);
    }

    public static async Task<ApiResponse<VisitDto>> CheckInAsync(CrmApi caller, Guid customerId)
    {
        (await caller.SendAsync<LocationConsentDto>(HttpMethod.Put, $"/api/reps/{caller.UserId}/location-consents",
            new LocationConsentRequest("matrix-phone", true))).EnsureStatus(HttpStatusCode.OK);
        return await caller.SendAsync<VisitDto>(HttpMethod.Post, $"/api/customers/{customerId}/visits",
            new CheckInRequest(31.23, 121.47, 10, WorkingTime(), "matrix-phone"));
    }

    /// <summary>A visit at the unit's owned customer, checked in by the admin.</summary>
    public static async Task<VisitDto> AdminVisitAsync(WorldUnit target) =>
        (await CheckInAsync(target.World.Admin, (await target.NewOwnedAsync()).Id)).EnsureStatus(HttpStatusCode.Created).Value!;

    /// <summary>
    /// A check-out as the caller: a rep checks out its own visit (a rep may only check out what it checked in), a
    /// manager or admin one the admin checked in. Refused when the caller cannot reach the customer.
    /// </summary>
    public static async Task<ApiResponse<VisitDto>> CheckOutAsync(MatrixCell c)
    {
        string visitId;
        if (c.Role == Role.Rep)
        {
            var checkIn = await CheckInAsync(c.Caller, (await c.Target.NewOwnedAsync()).Id);
            if (checkIn.Status != HttpStatusCode.Created)
            {
                return checkIn;
            }

            visitId = checkIn.Value!.Id;
        }
        else
        {
            visitId = (await AdminVisitAsync(c.Target)).Id;
        }

        return await c.Caller.SendAsync<VisitDto>(HttpMethod.Post, $"/api/visits/{visitId}/check-out", new CheckOutRequest(At: WorkingTime().AddMinutes(30)));
    }

    /// <summary>Places the unit's lead at a fresh random point; answers the point.</summary>
    public static async Task<(double Lat, double Lon)> PlaceLeadAsync(WorldUnit target)
    {
        var (lat, lon) = (Random.Shared.NextDouble() * 100 - 50, Random.Shared.NextDouble() * 300 - 150);
        (await target.World.Admin.SendAsync<JsonElement>(HttpMethod.Put, $"/api/customers/{target.Lead.Id}/location", new SetLocationRequest(lat, lon)))
            .EnsureStatus(HttpStatusCode.OK);
        return (lat, lon);
    }

    /// <summary>A photo uploaded by the admin and linked to a visit at the unit's owned customer.</summary>
    public static async Task<string> LinkedPhotoAsync(WorldUnit target)
    {
        var admin = target.World.Admin;
        using var http = new HttpClient { BaseAddress = admin.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", admin.Token);
        using var response = await http.PostAsync("/api/files", new ByteArrayContent(Png));
        var file = JsonSerializer.Deserialize<FileDto>(await response.Content.ReadAsStringAsync(), CrmApi.Json)!;
        var customer = await target.NewOwnedAsync();
        (await admin.SendAsync<LocationConsentDto>(HttpMethod.Put, $"/api/reps/{admin.UserId}/location-consents",
            new LocationConsentRequest("matrix-phone", true))).EnsureStatus(HttpStatusCode.OK);
        (await admin.SendAsync<VisitDto>(HttpMethod.Post, $"/api/customers/{customer.Id}/visits",
            new CheckInRequest(31.23, 121.47, 10, WorkingTime(), "matrix-phone", [file.Id]))).EnsureStatus(HttpStatusCode.Created);
        return file.Id;
    }

    public static async Task<ApiResponse<JsonElement>> UploadAsync(CrmApi caller)
    {
        using var http = new HttpClient { BaseAddress = caller.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", caller.Token);
        using var response = await http.PostAsync("/api/files", new ByteArrayContent(Png));
        var body = await response.Content.ReadAsStringAsync();
        return new ApiResponse<JsonElement>(response.StatusCode, JsonDocument.Parse(body).RootElement.Clone(), null, body);
    }

    public static async Task<ApiResponse<JsonElement>> DownloadAsync(CrmApi caller, string fileId)
    {
        using var http = new HttpClient { BaseAddress = caller.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", caller.Token);
        using var response = await http.GetAsync($"/api/files/{fileId}");
        return new ApiResponse<JsonElement>(response.StatusCode, default, null, "");
    }
}
