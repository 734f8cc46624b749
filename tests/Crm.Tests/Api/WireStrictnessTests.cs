using System.Net;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Api;

/// <summary>
/// What a client sends is taken as it says or refused naming the field, never quietly read some other way: a number
/// sent as a string, a field the route does not take (a wrapper around the body, a field of another route), a time
/// without its offset. And what a client is sent it can follow: a created resource's <c>Location</c> answers a GET, a
/// CSV says its charset, a refusal of the framework's own says why.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class WireStrictnessTests(ServerFixture fixture)
{
    [Fact]
    public async Task Rules_wrapped_in_a_rules_field_are_refused_naming_it_and_the_pool_keeps_its_rules()
    {
        var world = await TestWorld.CreateAsync(fixture.Server, new PoolRules { CapacityPerRep = 7, RecycleAfterDaysWithoutFollowUp = 15 });

        var wrapped = await world.Manager.SendAsync<PoolDto>(HttpMethod.Put, $"/api/pools/{world.PoolId}/rules",
            new { rules = new { capacityPerRep = 3, recycleAfterDaysWithoutFollowUp = 5 } });
        var asString = await world.Manager.SendAsync<PoolDto>(HttpMethod.Put, $"/api/pools/{world.PoolId}/rules", "{\"capacityPerRep\": \"150\"}");
        var pool = (await world.Manager.SendAsync<PoolDto>(HttpMethod.Get, $"/api/pools/{world.PoolId}")).EnsureStatus(HttpStatusCode.OK).Value!;

        Assert.Equal(["rules"], wrapped.EnsureStatus(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Contains("not a field this route takes", wrapped.Body);
        Assert.Equal(["capacityPerRep"], asString.EnsureStatus(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Equal((7, 15), (pool.Rules.CapacityPerRep, pool.Rules.RecycleAfterDaysWithoutFollowUp)); // neither changed them
    }

    [Fact]
    public async Task Fields_another_route_takes_and_amounts_as_strings_are_refused_naming_them()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        var lead = await world.NewLeadAsync("Fang Hui", "Qingdao Wire Strict Co., Ltd.", "+86 139 7777 0001");
        (await world.RepA.ClaimAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK);

        var stageInEdit = await world.RepA.SendAsync<CustomerDto>(HttpMethod.Patch, $"/api/customers/{lead.Id}", new { stage = "customer" });
        var afterEdit = (await world.RepA.GetCustomerAsync(lead.Id)).Value!;
        var amountAsString = await world.RepA.SendAsync<DealDto>(HttpMethod.Post, $"/api/customers/{lead.Id}/deals",
            "{\"title\": \"Forklifts\", \"amount\": \"5\", \"currency\": \"CNY\", \"expectedCloseDate\": \"2031-01-01\"}");
        var asNumber = await world.RepA.SendAsync<DealDto>(HttpMethod.Post, $"/api/customers/{lead.Id}/deals",
            "{\"title\": \"Forklifts\", \"amount\": 5, \"currency\": \"CNY\", \"expectedCloseDate\": \"2031-01-01\"}");

        Assert.Equal(["stage"], stageInEdit.EnsureStatus(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Equal((Stage.Lead, lead.Version + 1), (afterEdit.Stage, afterEdit.Version)); // claimed, nothing else
        Assert.Equal(["amount"], amountAsString.EnsureStatus(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Equal(5m, asNumber.EnsureStatus(HttpStatusCode.Created).Value!.Amount);
    }

    [Fact]
    public async Task A_time_without_its_offset_is_refused_and_one_with_it_is_kept_as_that_instant()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        var lead = await world.NewLeadAsync("Lu Ping", "Harbin Offset Trading Co., Ltd.", "+86 139 7777 0011");
        (await world.RepA.ClaimAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK);
        var beijing = new DateTimeOffset(2025, 3, 4, 9, 30, 0, TimeSpan.FromHours(8));

        var local = await world.RepA.SendAsync<TimelineEntryDto>(HttpMethod.Post, $"/api/customers/{lead.Id}/follow-ups",
            "{\"type\": \"call\", \"outcome\": \"reached\", \"at\": \"2025-03-04T09:30:00\"}");
        var withOffset = await world.RepA.SendAsync<TimelineEntryDto>(HttpMethod.Post, $"/api/customers/{lead.Id}/follow-ups",
            "{\"type\": \"call\", \"outcome\": \"reached\", \"at\": \"2025-03-04T09:30:00+08:00\"}");

        Assert.Equal(["at"], local.EnsureStatus(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Contains("time zone offset", local.Body);
        Assert.Equal(beijing, withOffset.EnsureStatus(HttpStatusCode.Created).Value!.At);
    }

    [Fact]
    public async Task A_created_units_and_fields_location_answers_a_get()
    {
        var world = await fixture.SharedWorldAsync();
        var key = $"wire{Guid.NewGuid():N}"[..16];

        var unit = await world.Admin.SendAsync<OrgUnitDto>(HttpMethod.Post, "/api/org-units", new CreateOrgUnitRequest($"Wire {key}", world.OrgUnitId));
        var field = await world.Admin.SendAsync<CustomFieldDto>(HttpMethod.Post, "/api/custom-fields",
            new CustomFieldRequest("customer", key, new LocalizedName("线", "Wire"), "text"));
        var unitRead = await world.Admin.SendAsync<OrgUnitDto>(HttpMethod.Get, $"/api/org-units/{unit.EnsureStatus(HttpStatusCode.Created).Value!.Id}");
        var fieldRead = await world.Admin.SendAsync<CustomFieldDto>(HttpMethod.Get, $"/api/custom-fields/customer/{key}");
        var outsideUnit = await world.RepA.SendAsync<OrgUnitDto>(HttpMethod.Get, $"/api/org-units/{Guid.NewGuid():N}");
        await world.Admin.SendAsync<object>(HttpMethod.Delete, $"/api/custom-fields/customer/{key}");

        Assert.Equal((world.OrgUnitId, $"Wire {key}"), (unitRead.EnsureStatus(HttpStatusCode.OK).Value!.ParentId, unitRead.Value!.Name));
        Assert.Equal(key, fieldRead.EnsureStatus(HttpStatusCode.OK).Value!.Key);
        Assert.Equal(field.EnsureStatus(HttpStatusCode.Created).Value!.Key, fieldRead.Value!.Key);
        Assert.Equal(HttpStatusCode.NotFound, outsideUnit.Status);
    }

    [Fact]
    public async Task A_csv_export_says_its_charset_and_a_role_refusal_says_why()
    {
        var world = await fixture.SharedWorldAsync();
        using var export = new HttpRequestMessage(HttpMethod.Get, "/api/customers/export");
        export.Headers.Authorization = new("Bearer", world.Manager.Token);
        using var http = new HttpClient { BaseAddress = fixture.Server.BaseAddress };

        using var answer = await http.SendAsync(export);
        var refused = await world.RepA.SendAsync<object>(HttpMethod.Get, "/api/audit");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(("text/csv", "utf-8"), (answer.Content.Headers.ContentType!.MediaType, answer.Content.Headers.ContentType.CharSet));
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.False(string.IsNullOrEmpty(refused.Problem!.Value.GetProperty("detail").GetString()));
    }
}
