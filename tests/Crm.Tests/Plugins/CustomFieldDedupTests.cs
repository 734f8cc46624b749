using System.Net;
using Crm.Client;
using Crm.Tests.CustomFields;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Plugins;

/// <summary>
/// A third-party dedup strategy keyed on a custom field (<c>wechat-id</c>, reading <c>CustomerSnapshot.Fields</c>) on a
/// running server: the snapshots of create, import and the index's stored cards carry the customer's custom fields.
/// </summary>
[Collection(PluginServerCollection.Name)]
public sealed class CustomFieldDedupTests(PluginServerFixture fixture)
{
    private static PoolRules Block => new() { Dedup = new DedupRule(["wechat-id"], "block") };

    [Fact]
    public async Task A_duplicate_by_a_custom_field_is_blocked_on_create()
    {
        var world = await TestWorld.CreateAsync(fixture.Server, Block);
        var key = CustomFieldKit.FreshKey("wechat");
        await world.Admin.DefineAsync("customer", key, "text");
        var id = $"lilei_{Guid.NewGuid():N}"[..20];
        (await world.Admin.CreateCustomerAsync(new CreateCustomerRequest("Li Lei", PoolId: world.PoolId,
            CustomFields: CustomFieldKit.Values((key, id))))).EnsureStatus(HttpStatusCode.Created);

        var second = await world.Admin.CreateCustomerAsync(new CreateCustomerRequest("Lei L.", PoolId: world.PoolId,
            CustomFields: CustomFieldKit.Values((key, id.ToUpperInvariant()))));

        second.EnsureStatus(HttpStatusCode.Conflict);
        Assert.Equal("duplicate", second.Code);
    }

    [Fact]
    public async Task A_duplicate_by_a_custom_field_is_blocked_on_import()
    {
        var world = await TestWorld.CreateAsync(fixture.Server, Block);
        var key = CustomFieldKit.FreshKey("wechat");
        await world.Admin.DefineAsync("customer", key, "text");
        var stored = $"lilei_{Guid.NewGuid():N}"[..20];
        var inFile = $"hanmei_{Guid.NewGuid():N}"[..20];
        (await world.Admin.CreateCustomerAsync(new CreateCustomerRequest("Li Lei", PoolId: world.PoolId,
            CustomFields: CustomFieldKit.Values((key, stored))))).EnsureStatus(HttpStatusCode.Created);

        // Row 1 repeats a stored customer's id, row 3 an earlier row's; row 2 is new.
        var report = (await world.Admin.ImportCsvAsync(world.PoolId,
            $"name,{key}\nLei Li,{stored.ToUpperInvariant()}\nHan Meimei,{inFile}\nMeimei H.,{inFile.ToUpperInvariant()}\n"))
            .EnsureStatus(HttpStatusCode.OK).Value!;

        Assert.Equal(["duplicate", "created", "duplicate"], report.Rows.OrderBy(r => r.Row).Select(r => r.Status));
    }

    [Fact]
    public async Task A_custom_field_set_after_creation_is_a_key_at_once_and_flags_the_customer_that_already_had_it()
    {
        var world = await TestWorld.CreateAsync(fixture.Server, Block);
        var key = CustomFieldKit.FreshKey("wechat");
        await world.Admin.DefineAsync("customer", key, "text");
        var (added, shared) = ($"lilei_{Guid.NewGuid():N}"[..20], $"hanmei_{Guid.NewGuid():N}"[..20]);
        var liLei = (await world.Admin.CreateCustomerAsync(new CreateCustomerRequest("Li Lei", PoolId: world.PoolId))).EnsureStatus(HttpStatusCode.Created).Value!;
        var hanMeimei = (await world.Admin.CreateCustomerAsync(new CreateCustomerRequest("Han Meimei", PoolId: world.PoolId,
            CustomFields: CustomFieldKit.Values((key, shared))))).EnsureStatus(HttpStatusCode.Created).Value!;
        var meimei = (await world.Admin.CreateCustomerAsync(new CreateCustomerRequest("Meimei", PoolId: world.PoolId))).EnsureStatus(HttpStatusCode.Created).Value!;

        // The rep writes down Li Lei's WeChat id on a visit; Meimei's turns out to be Han Meimei's.
        (await world.Admin.SetFieldsAsync(liLei.Id, (key, added))).EnsureStatus(HttpStatusCode.OK);
        (await world.Admin.SetFieldsAsync(meimei.Id, (key, shared.ToUpperInvariant()))).EnsureStatus(HttpStatusCode.OK);
        var again = await world.Admin.CreateCustomerAsync(new CreateCustomerRequest("Lei L.", PoolId: world.PoolId,
            CustomFields: CustomFieldKit.Values((key, added.ToUpperInvariant()))));

        again.EnsureStatus(HttpStatusCode.Conflict);
        Assert.Equal("duplicate", again.Code);
        // An edit cannot be refused for a duplicate: both sides are flagged, as an index retry flags them.
        async Task<List<string?>> FlaggedAgainst(Guid id) => (await world.Admin.TimelineAsync(id)).EnsureStatus(HttpStatusCode.OK).Value!
            .Where(e => e.Kind == "duplicate-flagged").Select(e => e.Data.GetValueOrDefault("duplicateOf")).ToList();
        Assert.Equal([hanMeimei.Id.ToString()], await FlaggedAgainst(meimei.Id));
        Assert.Equal([meimei.Id.ToString()], await FlaggedAgainst(hanMeimei.Id));
    }
}
