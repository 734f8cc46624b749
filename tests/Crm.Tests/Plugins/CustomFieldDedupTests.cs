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
}
