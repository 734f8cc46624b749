using System.Net;
using Crm.Client;
using Crm.Tests.Deals;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.CustomFields;

/// <summary>
/// Custom fields over HTTP on the real server: admins define them, values are checked by type and options on create and
/// update, shown on reads and lists and filterable; required fields and fields required at a stage ("card completeness")
/// hold customers and deals back until filled. Tests of a collection run one at a time, so a required field a test
/// defines is removed before the next test creates customers.
/// </summary>
public abstract class CustomFieldsTests
{
    private static readonly PerServer<TestWorld> Worlds = new(server => TestWorld.CreateAsync(server));

    protected abstract ServerProcess Server { get; }

    private Task<TestWorld> WorldAsync() => Worlds.ForAsync(Server);

    [Fact]
    public async Task Values_are_checked_by_type_shown_on_reads_and_lists_and_filterable()
    {
        var world = await WorldAsync();
        var (tier, tags, budget, since) = (CustomFieldKit.FreshKey("tier"), CustomFieldKit.FreshKey("tags"), CustomFieldKit.FreshKey("budget"),
            CustomFieldKit.FreshKey("since"));
        await world.Admin.DefineAsync("customer", tier, "choice", options: ["gold", "silver"]);
        await world.Admin.DefineAsync("customer", tags, "multi-choice", options: ["erp", "crm", "bi"]);
        await world.Admin.DefineAsync("customer", budget, "number");
        await world.Admin.DefineAsync("customer", since, "date");

        var listed = (await world.RepA.SendAsync<List<CustomFieldDto>>(HttpMethod.Get, "/api/custom-fields?entity=customer")).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(["gold", "silver"], listed.Single(f => f.Key == tier).Options);
        Assert.Equal(HttpStatusCode.Forbidden, (await world.Manager.SendAsync<CustomFieldDto>(HttpMethod.Post, "/api/custom-fields",
            new CustomFieldRequest("customer", CustomFieldKit.FreshKey("x"), new LocalizedName(En: "X"), "text"))).Status);

        var bad = await world.RepA.CreateCustomerAsync(new CreateCustomerRequest("Bad Card Co", PoolId: world.PoolId, OwnerId: world.RepA.UserId,
            CustomFields: CustomFieldKit.Values((tier, "platinum"), (tags, new[] { "erp", "sap" }), (budget, "lots"), (since, "31/12/2025"), ("nope", 1))));
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Equal(new[] { $"customFields.{tier}", $"customFields.{tags}", $"customFields.{budget}", $"customFields.{since}", "customFields.nope" }.Order(),
            bad.ErrorFields.Order());

        var customer = (await world.RepA.CreateCustomerAsync(new CreateCustomerRequest("Good Card Co", PoolId: world.PoolId, OwnerId: world.RepA.UserId,
            CustomFields: CustomFieldKit.Values((tier, "gold"), (tags, new[] { "bi", "erp" }), (budget, 1500.5m), (since, "2025-12-31")))))
            .EnsureStatus(HttpStatusCode.Created).Value!;
        var read = (await world.RepA.GetCustomerAsync(customer.Id)).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(("gold", "1500.5", "2025-12-31"), (read.CustomFields.Text(tier), read.CustomFields.Text(budget), read.CustomFields.Text(since)));
        Assert.Equal(["erp", "bi"], read.CustomFields![tags].EnumerateArray().Select(e => e.GetString()));

        // Lists show the values and filter on them: exact values, any choice of a multi-choice field.
        var gold = (await world.Manager.SearchAsync($"cf.{tier}=gold&pageSize=100")).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal([customer.Id], gold.Items.Select(c => c.Id));
        Assert.Equal("gold", gold.Items[0].CustomFields.Text(tier));
        Assert.Equal(1, (await world.Manager.SearchAsync($"cf.{tags}=bi&cf.{tier}=gold")).Value!.Total);
        Assert.Equal(0, (await world.Manager.SearchAsync($"cf.{tier}=silver")).Value!.Total);
        // A key no field has is a 400 naming it, not an empty list.
        Assert.Equal([$"cf.{tier}x"], (await world.Manager.SearchAsync($"cf.{tier}x=gold")).EnsureStatus(HttpStatusCode.BadRequest).ErrorFields);
        // A number matches however either side wrote it.
        var code = CustomFieldKit.FreshKey("code");
        await world.Admin.DefineAsync("customer", code, "text");
        var round = (await world.RepA.CreateCustomerAsync(new CreateCustomerRequest("Round Budget Co", PoolId: world.PoolId, OwnerId: world.RepA.UserId,
            CustomFields: CustomFieldKit.Values((budget, 2000.00m), (code, "007"))))).EnsureStatus(HttpStatusCode.Created).Value!;
        // A text that looks like a number matches only as written: article 007 is not article 7.
        Assert.Equal([round.Id], (await world.Manager.SearchAsync($"cf.{code}=007")).Value!.Items.Select(c => c.Id));
        Assert.Equal(0, (await world.Manager.SearchAsync($"cf.{code}=7")).Value!.Total);
        (await world.Admin.UndefineAsync("customer", code)).EnsureStatus(HttpStatusCode.NoContent);
        Assert.Equal("2000", round.CustomFields.Text(budget));
        Assert.Equal([round.Id], (await world.Manager.SearchAsync($"cf.{budget}=2000")).Value!.Items.Select(c => c.Id));
        Assert.Equal([round.Id], (await world.Manager.SearchAsync($"cf.{budget}=2000.0")).Value!.Items.Select(c => c.Id));
        Assert.Equal([customer.Id], (await world.Manager.SearchAsync($"cf.{budget}=1500.50")).Value!.Items.Select(c => c.Id));

        // An update sets and clears; only the change is an event on the timeline.
        var updated = (await world.RepA.SetFieldsAsync(customer.Id, (tier, "silver"), (budget, null), (since, "2025-12-31"))).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(("silver", null), (updated.CustomFields.Text(tier), updated.CustomFields.Text(budget)));
        var change = Assert.Single((await world.RepA.TimelineAsync(customer.Id)).Value!, e => e.Kind == "custom-fields-changed");
        Assert.Equal(("silver", null), (change.Data[$"field.{tier}"], change.Data[$"field.{budget}"]));
        Assert.False(change.Data.ContainsKey($"field.{since}"));
        Assert.Equal(1, (await world.Manager.SearchAsync($"cf.{tier}=silver")).Value!.Total);
        Assert.Equal(HttpStatusCode.BadRequest, (await world.RepA.SetFieldsAsync(customer.Id, (tier, "bronze"))).Status);

        // Another rep of the team does not see a card it does not own: changing it answers as for an unknown customer.
        Assert.Equal(HttpStatusCode.NotFound, (await world.RepB.SetFieldsAsync(customer.Id, (tier, "gold"))).Status);
        foreach (var key in new[] { tier, tags, budget, since })
        {
            (await world.Admin.UndefineAsync("customer", key)).EnsureStatus(HttpStatusCode.NoContent);
        }
    }

    [Fact]
    public async Task A_text_value_keeps_its_lines_and_loses_the_control_characters_pasted_with_it()
    {
        var world = await WorldAsync();
        var remark = CustomFieldKit.FreshKey("remark");
        await world.Admin.DefineAsync("customer", remark, "text");

        // A bell and a NUL from a terminal paste, Windows line ends: the lines stay, as \n, the rest goes.
        var customer = (await world.RepA.CreateCustomerAsync(new CreateCustomerRequest("Pasted Notes Co", PoolId: world.PoolId, OwnerId: world.RepA.UserId,
            CustomFields: CustomFieldKit.Values((remark, "\u0007Call after 3pm\r\nask for\u0000 Mr. Zhao\t(ext. 12)\u009B")))))
            .EnsureStatus(HttpStatusCode.Created).Value!;
        var read = (await world.RepA.GetCustomerAsync(customer.Id)).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal("Call after 3pm\nask for Mr. Zhao\t(ext. 12)", read.CustomFields.Text(remark));

        // Nothing but control characters is no text: refused by name, the value kept.
        var blank = await world.RepA.SetFieldsAsync(customer.Id, (remark, "\u0000\u0001\u001B"));
        Assert.Equal(HttpStatusCode.BadRequest, blank.Status);
        Assert.Equal([$"customFields.{remark}"], blank.ErrorFields);
        Assert.Equal("Call after 3pm\nask for Mr. Zhao\t(ext. 12)", (await world.RepA.GetCustomerAsync(customer.Id)).Value!.CustomFields.Text(remark));
        (await world.Admin.UndefineAsync("customer", remark)).EnsureStatus(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Required_fields_hold_back_creation_and_the_stage_changes_that_list_them()
    {
        var world = await WorldAsync();
        var (reference, decisionMaker, poNumber) = (CustomFieldKit.FreshKey("ref"), CustomFieldKit.FreshKey("decider"), CustomFieldKit.FreshKey("po"));
        await world.Admin.DefineAsync("customer", reference, "text", required: true);
        try
        {
            await world.Admin.DefineAsync("customer", decisionMaker, "text", requiredAtStages: ["opportunity"]);
            await world.Admin.DefineAsync("deal", poNumber, "text", requiredAtStages: ["negotiation", "won"]);

            var missing = await world.RepA.CreateCustomerAsync(new CreateCustomerRequest("No Ref Co", PoolId: world.PoolId, OwnerId: world.RepA.UserId));
            Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
            Assert.Equal([$"customFields.{reference}"], missing.ErrorFields);
            var customer = (await world.RepA.CreateCustomerAsync(new CreateCustomerRequest("Ref Co", PoolId: world.PoolId, OwnerId: world.RepA.UserId,
                CustomFields: CustomFieldKit.Values((reference, "R-1"))))).EnsureStatus(HttpStatusCode.Created).Value!;
            Assert.Equal([$"customFields.{reference}"], (await world.RepA.SetFieldsAsync(customer.Id, (reference, null))).ErrorFields);

            // Card completeness: the customer moves to opportunity only once the decision maker is known.
            var early = await world.RepA.ChangeStageAsync(customer.Id, Stage.Opportunity);
            Assert.Equal([$"customFields.{decisionMaker}"], early.ErrorFields);
            (await world.RepA.SetFieldsAsync(customer.Id, (decisionMaker, "Ms Zhao, CFO"))).EnsureStatus(HttpStatusCode.OK);
            (await world.RepA.ChangeStageAsync(customer.Id, Stage.Opportunity)).EnsureStatus(HttpStatusCode.OK);

            // A deal reaches negotiation, and is won, only with its PO number.
            var deal = (await world.RepA.OpenDealAsync(customer.Id, DealKit.Deal())).EnsureStatus(HttpStatusCode.Created).Value!;
            Assert.Equal([$"customFields.{poNumber}"], (await world.RepA.MoveAsync(deal.Id, "negotiation")).ErrorFields);
            Assert.Equal([$"customFields.{poNumber}"], (await world.RepA.WinAsync(deal.Id)).ErrorFields);
            var opened = await world.RepA.OpenDealAsync(customer.Id, DealKit.Deal(stageKey: "negotiation") with { CustomFields = CustomFieldKit.Values((poNumber, "PO-7")) });
            Assert.Equal("PO-7", opened.EnsureStatus(HttpStatusCode.Created).Value!.CustomFields.Text(poNumber));

            Assert.Equal("PO-9", (await world.RepA.SetDealFieldsAsync(deal.Id, (poNumber, "PO-9"))).EnsureStatus(HttpStatusCode.OK).Value!.CustomFields.Text(poNumber));
            (await world.RepA.MoveAsync(deal.Id, "negotiation")).EnsureStatus(HttpStatusCode.OK);
            (await world.RepA.WinAsync(deal.Id)).EnsureStatus(HttpStatusCode.OK);
            var listed = (await world.Manager.ListDealsAsync($"customerId={customer.Id}")).EnsureStatus(HttpStatusCode.OK).Value!;
            Assert.Equal(["PO-7", "PO-9"], listed.Items.Select(d => d.CustomFields.Text(poNumber)).Order());
            Assert.Contains((await world.RepA.TimelineAsync(customer.Id)).Value!, e => e.Kind == "custom-fields-changed" && e.Data["dealId"] == deal.Id);
        }
        finally
        {
            await world.Admin.UndefineAsync("customer", reference);
            await world.Admin.UndefineAsync("customer", decisionMaker);
            await world.Admin.UndefineAsync("deal", poNumber);
        }
    }

    [Fact]
    public async Task Definitions_are_bounded_and_keep_their_type()
    {
        var world = await WorldAsync();
        var bad = await world.Admin.SendAsync<CustomFieldDto>(HttpMethod.Post, "/api/custom-fields",
            new CustomFieldRequest("customer", "Bad Key!", new LocalizedName(), "colour", Options: ["a", "a"], RequiredAtStages: ["limbo"]));
        Assert.Equal(new[] { "key", "type", "label", "options", "requiredAtStages[0]" }.Order(), bad.ErrorFields.Order());
        Assert.Equal(["entity"], (await world.Admin.SendAsync<CustomFieldDto>(HttpMethod.Post, "/api/custom-fields",
            new CustomFieldRequest("invoice", CustomFieldKit.FreshKey("i"), new LocalizedName(En: "I"), "text"))).ErrorFields);
        Assert.Contains("options", (await world.Admin.SendAsync<CustomFieldDto>(HttpMethod.Post, "/api/custom-fields",
            new CustomFieldRequest("deal", CustomFieldKit.FreshKey("c"), new LocalizedName(En: "C"), "choice"))).ErrorFields);

        var key = CustomFieldKit.FreshKey("size");
        await world.Admin.DefineAsync("deal", key, "choice", options: ["s", "m"]);
        var again = await world.Admin.SendAsync<CustomFieldDto>(HttpMethod.Post, "/api/custom-fields",
            new CustomFieldRequest("deal", key, new LocalizedName(En: "Size"), "text"));
        Assert.Equal((HttpStatusCode.Conflict, ErrorCodes.CustomFieldExists), (again.Status, again.Code));
        Assert.Contains("type", (await world.Admin.SendAsync<CustomFieldDto>(HttpMethod.Put, $"/api/custom-fields/deal/{key}",
            new CustomFieldRequest(null, null, new LocalizedName(En: "Size"), "number"))).ErrorFields);
        var changed = (await world.Admin.SendAsync<CustomFieldDto>(HttpMethod.Put, $"/api/custom-fields/deal/{key}",
            new CustomFieldRequest(null, null, new LocalizedName("规模", "Size"), null, Options: ["s", "m", "l"]))).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(["s", "m", "l"], changed.Options);
        Assert.Equal(("choice", "规模"), (changed.Type, changed.Label.Zh));
        (await world.Admin.UndefineAsync("deal", key)).EnsureStatus(HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.NotFound, (await world.Admin.UndefineAsync("deal", key)).Status);
    }
}

[Collection(ServerCollection.Name)]
public sealed class SqliteCustomFieldsTests(ServerFixture fixture) : CustomFieldsTests
{
    protected override ServerProcess Server => fixture.Server;
}

[Collection(PostgresServerCollection.Name)]
public sealed class PostgresCustomFieldsTests(PostgresServerFixture fixture) : CustomFieldsTests
{
    protected override ServerProcess Server => fixture.Server;
}
