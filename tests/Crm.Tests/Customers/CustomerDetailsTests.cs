using System.Net;
using System.Net.Http.Headers;
using Crm.Client;
using Crm.Tests.CustomFields;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Customers;

/// <summary>
/// <c>PATCH /api/customers/{id}</c> on the real server: the owner corrects a customer's details, lists and search see
/// the new values, the timeline says what changed, a stale <c>If-Match</c> is a 412 that changes nothing, a phone
/// shared with another customer flags both, and bad input or the wrong user is refused.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class CustomerDetailsTests(ServerFixture fixture)
{
    private static readonly PoolRules FlagDuplicates = new() { Dedup = new DedupRule(["identity-keys", "company-name"], "flag") };

    [Fact]
    public async Task A_manager_corrects_the_details_and_reads_lists_the_timeline_and_the_owners_app_follow()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        var lead = await world.NewLeadAsync("Zhao Lei", "Hangzhou Details Trading Co., Ltd.", "+86 139 4444 0001");
        (await world.RepA.ClaimAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK);
        await using var repEvents = await EventRecorder.ConnectAsync(world.RepA);

        var edited = (await world.Manager.SendAsync<CustomerDto>(HttpMethod.Patch, $"/api/customers/{lead.Id}",
            new { phone = "１３９ ４４４４ ０００２", email = "Zhao.Lei@Details.cn", address = "杭州市西湖区文三路 90 号", industry = "logistics", source = "" }))
            .EnsureStatus(HttpStatusCode.OK).Value!;
        var read = (await world.Manager.GetCustomerAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK).Value!;
        var found = (await world.Manager.SearchAsync("query=13944440002")).EnsureStatus(HttpStatusCode.OK).Value!;
        var entry = Assert.Single((await world.RepA.TimelineAsync(lead.Id)).Value!, e => e.Kind == "details-edited");
        var pushed = await repEvents.WaitForAsync<CustomerEdited>(lead.Id, TimeSpan.FromSeconds(30)); // the manager's edit reaches the owner's app

        Assert.Equal(("139 4444 0002", "Zhao.Lei@Details.cn", "杭州市西湖区文三路 90 号"), (edited.Phone, edited.Email, edited.Address)); // full-width digits as ASCII
        Assert.Equal(("Zhao Lei", "Hangzhou Details Trading Co., Ltd.", "logistics", null), (edited.Name, edited.Company, edited.Industry, edited.Source));
        Assert.True(edited.Version >= lead.Version + 2, $"version {edited.Version}"); // the claim, the edit (and its new dedup keys)
        Assert.Equal((edited.Phone, edited.Email, edited.Industry, edited.Version), (read.Phone, read.Email, read.Industry, read.Version));
        Assert.Contains(found.Items, c => c.Id == lead.Id);
        Assert.Equal("details-edited", entry.Kind);
        Assert.Equal("phone,email,address,industry", entry.Data["fields"]); // the source was empty already: not a change
        Assert.Equal("139 4444 0002", entry.Data["field.phone"]);
        Assert.Equal(world.Manager.UserId, pushed.EditedBy);
        Assert.Equal(["phone", "email", "address", "industry"], pushed.Fields);
    }

    [Fact]
    public async Task An_edit_with_a_stale_version_is_a_412_and_changes_nothing()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        var lead = await world.NewLeadAsync("Sun Li", "Ningbo Version Test Co., Ltd.", "+86 139 4444 0011");
        (await world.RepA.ClaimAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK);
        var (etag, read) = await ReadWithETagAsync(world.RepA, lead.Id);
        (await world.Manager.SendAsync<CustomerDto>(HttpMethod.Patch, $"/api/customers/{lead.Id}", new { company = "Ningbo Version Test Group" }))
            .EnsureStatus(HttpStatusCode.OK);

        var stale = await world.RepA.SendAsync<CustomerDto>(HttpMethod.Patch, $"/api/customers/{lead.Id}", new { company = "Something Else Ltd." },
            new Dictionary<string, string> { ["If-Match"] = etag });
        var (freshTag, current) = await ReadWithETagAsync(world.RepA, lead.Id);
        var fresh = await world.RepA.SendAsync<CustomerDto>(HttpMethod.Patch, $"/api/customers/{lead.Id}", new { company = "Something Else Ltd." },
            new Dictionary<string, string> { ["If-Match"] = freshTag });
        var malformed = await world.RepA.SendAsync<CustomerDto>(HttpMethod.Patch, $"/api/customers/{lead.Id}", new { company = "X" },
            new Dictionary<string, string> { ["If-Match"] = "\"version-seven\"" });

        Assert.Equal($"\"{read.Version}\"", etag);
        Assert.Equal((HttpStatusCode.PreconditionFailed, ErrorCodes.PreconditionFailed), (stale.Status, stale.Code));
        Assert.Equal(current.Version, stale.Problem!.Value.GetProperty("currentVersion").GetInt64());
        Assert.Equal("Ningbo Version Test Group", current.Company); // the stale edit changed nothing
        Assert.Equal("Something Else Ltd.", fresh.EnsureStatus(HttpStatusCode.OK).Value!.Company);
        Assert.Equal(["If-Match"], malformed.EnsureStatus(HttpStatusCode.BadRequest).ErrorFields);
    }

    [Fact]
    public async Task A_card_polled_with_its_etag_answers_304_until_the_customer_changes()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        var lead = await world.NewLeadAsync("Han Mei", "Dalian Poll Card Co., Ltd.", "+86 139 4444 0051");
        var (etag, _) = await ReadWithETagAsync(world.Manager, lead.Id);
        var headers = new Dictionary<string, string> { ["If-None-Match"] = etag };

        var unchanged = await world.Manager.SendAsync<CustomerDto>(HttpMethod.Get, $"/api/customers/{lead.Id}", null, headers);
        (await world.RepA.ClaimAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK);
        var changed = await world.Manager.SendAsync<CustomerDto>(HttpMethod.Get, $"/api/customers/{lead.Id}", null, headers);

        Assert.Equal(HttpStatusCode.NotModified, unchanged.Status);
        Assert.Equal("", unchanged.Body);
        Assert.Equal(world.RepA.UserId, changed.EnsureStatus(HttpStatusCode.OK).Value!.OwnerId);
    }

    [Fact]
    public async Task A_phone_edited_to_another_customers_flags_both()
    {
        var world = await TestWorld.CreateAsync(fixture.Server, FlagDuplicates);
        var first = await world.NewLeadAsync("Qian Bo", "Suzhou First Flag Co., Ltd.", "+86 139 4444 0021");
        var second = await world.NewLeadAsync("Li Na", "Wuxi Second Flag Co., Ltd.", "+86 139 4444 0022");
        (await world.RepA.ClaimAsync(second.Id)).EnsureStatus(HttpStatusCode.OK);

        (await world.RepA.SendAsync<CustomerDto>(HttpMethod.Patch, $"/api/customers/{second.Id}", new { phone = "+86 139 4444 0021" }))
            .EnsureStatus(HttpStatusCode.OK);
        var secondTimeline = (await world.Manager.TimelineAsync(second.Id)).Value!;
        var firstTimeline = (await world.Manager.TimelineAsync(first.Id)).Value!;

        Assert.Contains(secondTimeline, e => e.Kind == "duplicate-flagged" && e.Data["duplicateOf"] == first.Id.ToString());
        Assert.Contains(firstTimeline, e => e.Kind == "duplicate-flagged" && e.Data["duplicateOf"] == second.Id.ToString());
    }

    [Fact]
    public async Task Bad_edits_and_other_users_are_refused()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        var lead = await world.NewLeadAsync("Wu Gang", "Jinan Refusals Co., Ltd.", "+86 139 4444 0031");
        (await world.RepA.ClaimAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK);
        var path = $"/api/customers/{lead.Id}";

        var noName = await world.RepA.SendAsync<CustomerDto>(HttpMethod.Patch, path, new { name = "  " });
        var badEmail = await world.RepA.SendAsync<CustomerDto>(HttpMethod.Patch, path, new { email = "not an address" });
        var badPhone = await world.RepA.SendAsync<CustomerDto>(HttpMethod.Patch, path, new { phone = "call me maybe" });
        var tooLong = await world.RepA.SendAsync<CustomerDto>(HttpMethod.Patch, path, new { company = new string('x', 201) });
        var nothing = await world.RepA.SendAsync<CustomerDto>(HttpMethod.Patch, path, "{}");
        var colleague = await world.RepB.SendAsync<CustomerDto>(HttpMethod.Patch, path, new { name = "Not Mine" });
        var unknown = await world.Manager.SendAsync<CustomerDto>(HttpMethod.Patch, $"/api/customers/{Guid.NewGuid()}", new { name = "Nobody" });
        var after = (await world.RepA.GetCustomerAsync(lead.Id)).Value!;

        Assert.Equal(["name"], noName.EnsureStatus(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Equal(["email"], badEmail.EnsureStatus(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Equal(["phone"], badPhone.EnsureStatus(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Contains("company", tooLong.EnsureStatus(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Equal(HttpStatusCode.BadRequest, nothing.Status);
        Assert.Contains(colleague.Status, new[] { HttpStatusCode.Forbidden, HttpStatusCode.NotFound });
        Assert.Equal((HttpStatusCode.NotFound, ErrorCodes.NotFound), (unknown.Status, unknown.Code));
        Assert.Equal((lead.Version + 1, "Wu Gang", "Jinan Refusals Co., Ltd."), (after.Version, after.Name, after.Company)); // only the claim
    }

    [Fact]
    public async Task The_typed_client_edits_and_leaves_out_what_it_does_not_give()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        var lead = await world.NewLeadAsync("Ma Jun", "Xiamen Client Edit Co., Ltd.", "+86 139 4444 0041");
        using var http = new HttpClient { BaseAddress = fixture.Server.BaseAddress };
        using var client = new CrmClient(http);
        await client.LoginAsync("admin", ServerProcess.AdminPassword);

        var edited = await client.EditCustomerAsync(lead.Id, new EditCustomerRequest(Email: "ma.jun@xiamen-client.cn", Language: "zh"));

        Assert.Equal(("Ma Jun", "Xiamen Client Edit Co., Ltd.", lead.Phone), (edited.Name, edited.Company, edited.Phone));
        Assert.Equal(("ma.jun@xiamen-client.cn", "zh"), (edited.Email, edited.Language));
    }

    [Fact]
    public async Task An_edits_answer_has_the_version_a_read_gives_so_it_serves_the_next_if_match()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        var lead = await world.NewLeadAsync("He Ping", "Qingdao ETag Co., Ltd.", "+86 139 4444 0051");
        var key = CustomFieldKit.FreshKey("wechat");
        await world.Admin.DefineAsync("customer", key, "text");

        // Each edit re-keys the customer in a commit of its own after the edit's: the answer must be after that one.
        var patched = (await world.Manager.SendAsync<CustomerDto>(HttpMethod.Patch, $"/api/customers/{lead.Id}", new { phone = "+86 139 4444 0052" }))
            .EnsureStatus(HttpStatusCode.OK).Value!;
        var afterPatch = (await world.Manager.GetCustomerAsync(lead.Id)).Value!;
        var fields = (await world.Manager.SendAsync<CustomerDto>(HttpMethod.Put, $"/api/customers/{lead.Id}/custom-fields",
            new { customFields = new Dictionary<string, string> { [key] = "wx-heping" } })).EnsureStatus(HttpStatusCode.OK).Value!;
        var afterFields = (await world.Manager.GetCustomerAsync(lead.Id)).Value!;
        var next = await world.Manager.SendAsync<CustomerDto>(HttpMethod.Patch, $"/api/customers/{lead.Id}", new { company = "Qingdao ETag Group" },
            new Dictionary<string, string> { ["If-Match"] = $"\"{fields.Version}\"" });

        Assert.Equal(afterPatch.Version, patched.Version);
        Assert.Equal(afterFields.Version, fields.Version);
        Assert.Equal("Qingdao ETag Group", next.EnsureStatus(HttpStatusCode.OK).Value!.Company);
    }

    /// <summary>The customer and the <c>ETag</c> its read answered with.</summary>
    private static async Task<(string ETag, CustomerDto Customer)> ReadWithETagAsync(CrmApi api, Guid id)
    {
        using var http = new HttpClient { BaseAddress = api.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", api.Token);
        using var response = await http.GetAsync($"/api/customers/{id}");
        response.EnsureSuccessStatusCode();
        var customer = System.Text.Json.JsonSerializer.Deserialize<CustomerDto>(await response.Content.ReadAsStringAsync(), CrmJson.Options)!;
        return (response.Headers.ETag!.ToString(), customer);
    }
}
