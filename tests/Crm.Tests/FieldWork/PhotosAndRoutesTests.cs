using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Crm.Client;
using Crm.Tests.Infrastructure;
using Crm.Tests.Notes;

namespace Crm.Tests.FieldWork;

/// <summary>Photo uploads linked to visits, a rep's day route, and bad field-work input, on the real server (SQLite).</summary>
[Collection(ServerCollection.Name)]
public sealed class PhotosAndRoutesTests(ServerFixture fixture)
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R', 1, 2, 3];
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 2, 3];

    private static async Task<(HttpStatusCode Status, FileDto? File, string Body)> UploadAsync(CrmApi api, byte[] bytes, string claimedType = "image/png", bool multipart = false)
    {
        using var http = new HttpClient { BaseAddress = api.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", api.Token);
        HttpContent content = new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue(claimedType) } };
        if (multipart)
        {
            content = new MultipartFormDataContent { { content, "file", "photo.jpg" } };
        }

        using var response = await http.PostAsync("/api/files", content);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.IsSuccessStatusCode ? JsonSerializer.Deserialize<FileDto>(body, CrmApi.Json) : null, body);
    }

    private static async Task<(HttpStatusCode Status, byte[] Bytes, string? Type)> DownloadAsync(CrmApi api, string id)
    {
        using var http = new HttpClient { BaseAddress = api.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", api.Token);
        using var response = await http.GetAsync($"/api/files/{id}");
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Photos_are_typed_by_their_bytes_bounded_in_size_and_linked_to_one_visit()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        var photo = await UploadAsync(world.RepA, Png, claimedType: "application/octet-stream");
        Assert.Equal((HttpStatusCode.Created, "image/png", Png.Length), (photo.Status, photo.File!.ContentType, (int)photo.File.Size));
        var fromForm = await UploadAsync(world.RepA, Jpeg, claimedType: "image/jpeg", multipart: true);
        Assert.Equal("image/jpeg", fromForm.File!.ContentType);

        var script = await UploadAsync(world.RepA, "<script>alert(1)</script>"u8.ToArray(), claimedType: "image/png");
        Assert.Equal(HttpStatusCode.BadRequest, script.Status);
        Assert.Contains("\"file\"", script.Body);
        Assert.Equal(HttpStatusCode.BadRequest, (await UploadAsync(world.RepA, [])).Status);
        var huge = new byte[8 * 1024 * 1024 + 1];
        Png.CopyTo(huge, 0);
        Assert.Equal(HttpStatusCode.BadRequest, (await UploadAsync(world.RepA, huge)).Status);

        var customer = await world.OwnedAsync(world.RepA, "Photographed");
        await world.RepA.ConsentAsync("phone-1");
        var here = FieldWorld.RandomCenter();
        var notMine = await UploadAsync(world.RepB, Png);
        var refused = await world.RepA.CheckInAsync(customer.Id, here, FieldWorld.WorkingMorning(), photos: [photo.File.Id, notMine.File!.Id]);
        Assert.Equal(["photos"], refused.ErrorFields);

        var visit = (await world.RepA.CheckInAsync(customer.Id, here, FieldWorld.WorkingMorning(), photos: [photo.File.Id, fromForm.File.Id]))
            .EnsureStatus(HttpStatusCode.Created).Value!;
        Assert.Equal([photo.File.Id, fromForm.File.Id], visit.Photos);
        var again = await world.RepA.CheckInAsync(customer.Id, here, FieldWorld.WorkingMorning().AddHours(1), photos: [photo.File.Id]);
        Assert.Equal(["photos"], again.ErrorFields);

        var seenByManager = await DownloadAsync(world.Manager, photo.File.Id);
        Assert.Equal((HttpStatusCode.OK, "image/png"), (seenByManager.Status, seenByManager.Type));
        Assert.Equal(Png, seenByManager.Bytes);
        Assert.Equal(HttpStatusCode.NotFound, (await DownloadAsync(world.RepB, photo.File.Id)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await DownloadAsync(world.RepA, notMine.File.Id)).Status);
    }

    [Fact]
    public async Task A_day_route_orders_the_planned_visits_from_the_start_and_lists_those_without_a_location()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        var templateId = $"route-{Guid.NewGuid():N}"[..20];
        (await world.Manager.SendAsync<NoteTemplateDto>(HttpMethod.Post, "/api/note-templates", NoteTemplateBuilder.FirstVisit(templateId)))
            .EnsureStatus(HttpStatusCode.Created);
        var day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(2);
        var start = FieldWorld.RandomCenter();

        // Five customers on a line east of the start, created out of order; one more planned without a location; one planned another day.
        var planned = new List<(Guid Id, double Km)>();
        foreach (var km in new[] { 3.0, 1.0, 5.0, 2.0, 4.0 })
        {
            var customer = await world.OwnedAsync(world.RepA, $"Stop {km} km");
            await world.RepA.SetLocationAsync(customer.Id, start.East(km * 1000));
            await PlanAsync(world, customer.Id, templateId, day);
            planned.Add((customer.Id, km));
        }

        // A visit task the manager gave for that day joins the plan (6 km: the last stop); one also planned by a note stays one stop.
        var tasked = await world.OwnedAsync(world.RepA, "Visit task");
        await world.RepA.SetLocationAsync(tasked.Id, start.East(6000));
        var dueAt = new DateTimeOffset(day.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero);
        (await world.Manager.SendAsync<TaskDto>(HttpMethod.Post, "/api/tasks",
            new CreateTaskRequest("Visit the buyer", "visit", [tasked.Id, planned[0].Id], dueAt, world.RepA.UserId))).EnsureStatus(HttpStatusCode.Created);
        (await world.Manager.SendAsync<TaskDto>(HttpMethod.Post, "/api/tasks",
            new CreateTaskRequest("Call the buyer", "call", [planned[1].Id], dueAt, world.RepA.UserId))).EnsureStatus(HttpStatusCode.Created);

        var unlocated = await world.OwnedAsync(world.RepA, "No address");
        await PlanAsync(world, unlocated.Id, templateId, day);
        var otherDay = await world.OwnedAsync(world.RepA, "Another day");
        await world.RepA.SetLocationAsync(otherDay.Id, start.East(500));
        await PlanAsync(world, otherDay.Id, templateId, day.AddDays(1));

        var path = FormattableString.Invariant($"/api/reps/{world.RepA.UserId}/route?date={day:yyyy-MM-dd}&startLat={start.Lat}&startLon={start.Lon}");
        var route = (await world.RepA.SendAsync<RouteDto>(HttpMethod.Get, path)).EnsureStatus(HttpStatusCode.OK).Value!;

        Assert.Equal(planned.OrderBy(p => p.Km).Select(p => p.Id).Append(tasked.Id), route.Stops.Select(s => s.CustomerId));
        Assert.Equal([1, 2, 3, 4, 5, 6], route.Stops.Select(s => s.Order));
        Assert.Equal(["next-follow-up", "next-follow-up", "visit-task", "next-follow-up", "next-follow-up", "visit-task"], route.Stops.Select(s => s.Reason));
        Assert.InRange(route.TotalMeters, 5990, 6010);
        Assert.All(route.Stops, s => Assert.InRange(s.LegMeters, 990, 1010));
        Assert.Equal([unlocated.Id], route.Unlocated);

        (await world.Manager.SendAsync<RouteDto>(HttpMethod.Get, path)).EnsureStatus(HttpStatusCode.OK);
        (await world.RepB.SendAsync<RouteDto>(HttpMethod.Get, path)).EnsureStatus(HttpStatusCode.NotFound);

    }

    [Theory]
    [InlineData("lat=91&lon=120", "lat")]
    [InlineData("lat=30&lon=-181", "lon")]
    [InlineData("lat=0&lon=0", "lat")]
    [InlineData("lat=abc&lon=120", "lat")]
    [InlineData("lon=120", "lat")]
    [InlineData("lat=30&lon=120&radius=0", "radius")]
    [InlineData("lat=30&lon=120&radius=50001", "radius")]
    [InlineData("lat=30&lon=120&scope=everyone", "scope")]
    [InlineData("lat=30&lon=120&limit=501", "limit")]
    public async Task Bad_nearby_queries_are_field_errors(string query, string field)
    {
        var world = await fixture.SharedWorldAsync();
        var response = await world.RepA.GetAsync($"/api/customers/nearby?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains(field, response.ErrorFields);
    }

    [Fact]
    public async Task Bad_locations_and_check_ins_are_field_errors()
    {
        var world = await fixture.SharedWorldAsync();
        var lead = await world.NewLeadAsync("Bad input", company: null, phone: null);
        async Task<IReadOnlyList<string>> Fields(HttpMethod method, string path, object body) => (await world.Admin.SendAsync<JsonElement>(method, path, body)).ErrorFields;

        Assert.Equal(["lat"], await Fields(HttpMethod.Put, $"/api/customers/{lead.Id}/location", new SetLocationRequest(-90.5, 10)));
        Assert.Equal(["accuracy"], await Fields(HttpMethod.Put, $"/api/customers/{lead.Id}/location", new SetLocationRequest(30, 120, -1)));
        Assert.Equal(["accuracy"], await Fields(HttpMethod.Put, $"/api/customers/{lead.Id}/location", new SetLocationRequest(30, 120, 200_000)));
        Assert.Equal(["lat", "lon"], (await Fields(HttpMethod.Put, $"/api/customers/{lead.Id}/location", new SetLocationRequest(null, null))).Order());
        Assert.Equal(["deviceId"], await Fields(HttpMethod.Post, $"/api/customers/{lead.Id}/visits", new CheckInRequest(30, 120, 10)));
        Assert.Equal(["at"], await Fields(HttpMethod.Post, $"/api/customers/{lead.Id}/visits",
            new CheckInRequest(30, 120, 10, DateTimeOffset.UtcNow.AddDays(-8), "phone")));
        Assert.Equal(["photos"], await Fields(HttpMethod.Post, $"/api/customers/{lead.Id}/visits",
            new CheckInRequest(30, 120, 10, null, "phone", Enumerable.Range(0, 11).Select(i => $"p{i}").ToList())));
        Assert.Equal(["date"], (await world.Admin.GetAsync($"/api/reps/{world.RepA.UserId}/route?date=tomorrow")).ErrorFields);
        Assert.Equal(["startLon"], (await world.Admin.GetAsync($"/api/reps/{world.RepA.UserId}/route?date=2026-03-03&startLat=30")).ErrorFields);
        Assert.Equal(["deviceId"], (await world.RepA.SendAsync<JsonElement>(HttpMethod.Put, $"/api/reps/{world.RepA.UserId}/location-consents",
            new LocationConsentRequest(new string('x', 101), true))).ErrorFields);
    }

    private static async Task PlanAsync(TestWorld world, Guid customerId, string templateId, DateOnly day) =>
        (await world.RepA.SendAsync<NoteDto>(HttpMethod.Post, $"/api/customers/{customerId}/notes", new AddNoteRequest(templateId,
            NoteTemplateBuilder.Answers(new { budget = "<100k", met_decision_maker = true, next_follow_up = day.ToString("yyyy-MM-dd") }))))
        .EnsureStatus(HttpStatusCode.Created);
}
