using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Crm.Client;
using Crm.Tests.Contracts;
using Crm.Tests.Deals;
using Crm.Tests.Infrastructure;
using Crm.Tests.Notes;

namespace Crm.Tests.Api;

/// <summary>
/// Input at the edges that answered 500: a multipart upload that is not one, dates in year 1 or 9999 (a day added to
/// them overflowed), a strategy trial with its required parts null. Each is now a 400 naming the field, and a date
/// outside 2000 to 2100 is refused wherever one is sent, in a query or a body, so none is stored either.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class EdgeInputTests(ServerFixture fixture)
{
    [Theory]
    [InlineData("multipart/form-data; boundary=xx")]
    [InlineData("multipart/form-data")]
    public async Task A_malformed_multipart_upload_is_a_400_naming_the_file(string contentType)
    {
        var world = await fixture.SharedWorldAsync();
        using var http = new HttpClient { BaseAddress = world.RepA.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", world.RepA.Token);
        using var content = new ByteArrayContent("garbage, not a form"u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await http.PostAsync("/api/files", content);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var message = Assert.Single(problem.GetProperty("errors").GetProperty("file").EnumerateArray()).GetString();
        Assert.Contains("multipart body is malformed", message);
    }

    [Theory]
    [InlineData("/api/receivables?dueBefore=0001-01-01", "dueBefore")]
    [InlineData("/api/reps/{rep}/route?date=9999-12-31", "date")]
    [InlineData("/api/reps/{rep}/route?date=1999-12-31", "date")]
    [InlineData("/api/org-units/{unit}/calendar/days?from=9999-12-31", "from")]
    [InlineData("/api/org-units/{unit}/calendar/days?from=0001-01-01", "from")]
    [InlineData("/api/deals?closingBefore=9999-12-31", "closingBefore")]
    [InlineData("/api/contracts?signedFrom=0001-01-01", "signedFrom")]
    [InlineData("/api/contracts?signedBefore=9999-12-31", "signedBefore")]
    [InlineData("/api/currency-rates?from=0001-01-01", "from")]
    [InlineData("/api/currency-rates?to=9999-12-31", "to")]
    public async Task A_date_query_outside_2000_to_2100_is_a_400_naming_it(string path, string field)
    {
        var world = await fixture.SharedWorldAsync();

        var response = await world.Manager.GetAsync(path.Replace("{rep}", world.RepA.UserId).Replace("{unit}", world.OrgUnitId));

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal([field], response.ErrorFields);
        Assert.Contains("2000 to 2100", response.Body);
    }

    [Fact]
    public async Task The_last_day_of_2100_is_a_date_a_day_can_be_added_to()
    {
        var world = await fixture.SharedWorldAsync();

        var route = (await world.RepA.SendAsync<RouteDto>(HttpMethod.Get, $"/api/reps/{world.RepA.UserId}/route?date=2100-12-31")).EnsureStatus(HttpStatusCode.OK).Value!;
        var days = (await world.RepA.SendAsync<List<CalendarDayDto>>(HttpMethod.Get, $"/api/org-units/{world.OrgUnitId}/calendar/days?from=2100-12-31&days=366"))
            .EnsureStatus(HttpStatusCode.OK).Value!;
        var receivables = await world.RepA.ReceivablesAsync("dueBefore=2000-01-01");

        Assert.Empty(route.Stops);
        Assert.Equal((new DateOnly(2100, 12, 31), new DateOnly(2101, 12, 31)), (days[0].Date, days[^1].Date));
        Assert.Equal((HttpStatusCode.OK, 0), (receivables.Status, receivables.Value!.Total));
    }

    [Fact]
    public async Task An_assignment_trial_without_lead_candidates_or_pool_is_a_400_naming_them()
    {
        var world = await fixture.SharedWorldAsync();

        var none = await world.Manager.SendAsync<JsonElement>(HttpMethod.Post, "/api/plugins/assignment/round-robin/trial",
            """{"lead":null,"candidates":null,"pool":null,"now":"2026-12-05T00:00:00Z"}""");
        // What the SDK promises a strategy is never null: a null there made the standard strategies throw (a fault on the plugin's count).
        var nulls = await world.Manager.SendAsync<JsonElement>(HttpMethod.Post, "/api/plugins/assignment/profile-match/trial",
            """{"lead":{"id":"1","name":null,"fields":null},"candidates":[{"repId":"anna","industries":null}],"pool":{"poolId":"east","options":null},"now":"2026-12-05T00:00:00Z"}""");
        var dedup = await world.Manager.SendAsync<JsonElement>(HttpMethod.Post, "/api/plugins/dedup/identity-keys/trial",
            """{"incoming":{"id":"1","name":" "},"existing":null}""");

        Assert.Equal(HttpStatusCode.BadRequest, none.Status);
        Assert.Equal(["candidates", "lead", "pool"], none.ErrorFields.Order());
        Assert.Equal(HttpStatusCode.BadRequest, nulls.Status);
        Assert.Equal(["candidates", "lead.fields", "lead.name", "pool.options"], nulls.ErrorFields.Order());
        Assert.Equal(HttpStatusCode.BadRequest, dedup.Status);
        Assert.Equal(["existing", "incoming.name"], dedup.ErrorFields.Order());
    }

    [Fact]
    public async Task A_deal_closing_outside_2000_to_2100_is_refused_and_not_stored()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        var customer = await world.OwnedLeadAsync();

        var early = await world.RepA.OpenDealAsync(customer.Id, DealKit.Deal() with { ExpectedCloseDate = new DateOnly(1, 1, 1) });
        var late = await world.RepA.OpenDealAsync(customer.Id, DealKit.Deal() with { ExpectedCloseDate = new DateOnly(9999, 12, 31) });
        var last = await world.RepA.OpenDealAsync(customer.Id, DealKit.Deal() with { ExpectedCloseDate = new DateOnly(2100, 12, 31) });

        Assert.Equal((HttpStatusCode.BadRequest, "expectedCloseDate"), (early.Status, Assert.Single(early.ErrorFields)));
        Assert.Equal((HttpStatusCode.BadRequest, "expectedCloseDate"), (late.Status, Assert.Single(late.ErrorFields)));
        Assert.Equal(HttpStatusCode.Created, last.Status);
        var stored = (await world.RepA.ListDealsAsync($"customerId={customer.Id}")).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal([new DateOnly(2100, 12, 31)], stored.Items.Select(d => d.ExpectedCloseDate));
    }

    [Fact]
    public async Task A_next_follow_up_after_2100_is_refused_and_no_reminder_is_set()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        var template = (await world.Manager.SendAsync<NoteTemplateDto>(HttpMethod.Post, "/api/note-templates",
            NoteTemplateBuilder.FirstVisit($"edge-{Guid.NewGuid():N}"[..20]))).EnsureStatus(HttpStatusCode.Created).Value!;
        var customer = await world.OwnedLeadAsync();

        var note = await world.RepA.SendAsync<NoteDto>(HttpMethod.Post, $"/api/customers/{customer.Id}/notes", new AddNoteRequest(template.Id,
            NoteTemplateBuilder.Answers(new { budget = "<100k", met_decision_maker = true, next_follow_up = "9999-12-31" })));

        Assert.Equal(HttpStatusCode.BadRequest, note.Status);
        Assert.Equal(["answers.next_follow_up"], note.ErrorFields);
        Assert.Contains("after 2100", note.Body);
        var reminders = (await world.RepA.SendAsync<Page<DueReminderDto>>(HttpMethod.Get, $"/api/reps/{world.RepA.UserId}/reminders?until=9999-12-31T00:00:00Z"))
            .EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(0, reminders.Total);
    }

    [Fact]
    public async Task A_contract_signed_in_9999_a_follow_up_in_year_1_and_calendar_dates_outside_the_years_are_400s()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        var (customer, deal) = await world.WonDealAsync();

        // The plan's due dates were checked against the signing day plus 30 years: year 9999 overflowed into a 500.
        var contract = await world.RepA.SignAsync(deal.Id, ContractKit.Contract() with { SignedAt = new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero) });
        var followUp = await world.RepA.SendAsync<TimelineEntryDto>(HttpMethod.Post, $"/api/customers/{customer.Id}/follow-ups",
            new FollowUpRequest(FollowUpType.Call, "reached", At: new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        var calendar = await world.Admin.SendAsync<WorkCalendarDto>(HttpMethod.Put, $"/api/org-units/{world.OrgUnitId}/calendar",
            new WorkCalendarRequest("Asia/Shanghai", Holidays: [new DateOnly(1, 1, 1)], Workdays: [new DateOnly(9999, 12, 31)]));

        Assert.Equal((HttpStatusCode.BadRequest, "signedAt"), (contract.Status, Assert.Single(contract.ErrorFields)));
        Assert.Equal((HttpStatusCode.BadRequest, "at"), (followUp.Status, Assert.Single(followUp.ErrorFields)));
        Assert.Equal(HttpStatusCode.BadRequest, calendar.Status);
        Assert.Equal(["holidays", "workdays"], calendar.ErrorFields.Order());
        var timeline = (await world.RepA.TimelineAsync(customer.Id)).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.DoesNotContain(timeline, e => e.Kind == "follow-up");
        var unitCalendar = (await world.Admin.SendAsync<WorkCalendarDto>(HttpMethod.Get, $"/api/org-units/{world.OrgUnitId}/calendar")).Value!;
        Assert.NotEqual(world.OrgUnitId, unitCalendar.SetOnOrgUnitId);
    }
}
