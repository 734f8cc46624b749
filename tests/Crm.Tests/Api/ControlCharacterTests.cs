using System.Net;
using System.Text.Json;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Api;

/// <summary>
/// Text pasted with control characters (a NUL, a bell, an escape) is stored without them and answered as any other text:
/// never a 500. PostgreSQL refuses a NUL in text, so org units, pools, users, sequences, follow-ups and custom field
/// filters failed there with one; line breaks stay where a field may hold several lines. A query string with one is a 400.
/// </summary>
public abstract class ControlCharacterTests
{
    protected abstract ServerProcess Server { get; }

    [Fact]
    public async Task Text_with_control_characters_is_stored_without_them_on_every_kind_of_record()
    {
        var world = await TestWorld.CreateAsync(Server);
        var customer = (await world.RepA.CreateCustomerAsync(new CreateCustomerRequest("Plain Co", PoolId: world.PoolId, OwnerId: world.RepA.UserId)))
            .EnsureStatus(HttpStatusCode.Created).Value!;
        var tag = Guid.NewGuid().ToString("N")[..6];

        var unit = (await world.Admin.SendAsync<OrgUnitDto>(HttpMethod.Post, "/api/org-units", new { name = $"East\u0000 {tag}" }))
            .EnsureStatus(HttpStatusCode.Created).Value!;
        var pool = (await world.Admin.SendAsync<PoolDto>(HttpMethod.Post, "/api/pools", new { name = $"Leads\u0007 {tag}", orgUnitId = world.OrgUnitId }))
            .EnsureStatus(HttpStatusCode.Created).Value!;
        var user = (await world.Admin.SendAsync<UserDto>(HttpMethod.Post, "/api/users",
            new { userName = $"ctl{tag}", password = "rep-Passw0rd!", displayName = $"Zhao\u001B Lei", role = "rep", orgUnitId = world.OrgUnitId }))
            .EnsureStatus(HttpStatusCode.Created).Value!;
        var sequence = await world.Manager.SendAsync<JsonElement>(HttpMethod.Post, "/api/sequences",
            new { name = $"Welcome\u0000 {tag}", steps = new[] { new { day = 0, channel = "call", template = "Say hello\u0000" } } });
        var followUp = (await world.RepA.SendAsync<TimelineEntryDto>(HttpMethod.Post, $"/api/customers/{customer.Id}/follow-ups",
            new { type = "call", outcome = "reached\u0000", text = "Line one\u0000\nline two" })).EnsureStatus(HttpStatusCode.Created).Value!;
        // A query value reaches SQL as it is: one with a NUL is refused by name.
        var filtered = await world.RepA.SendAsync<Page<CustomerDto>>(HttpMethod.Get, "/api/customers?cf.tier=gold%00&poolId=p%01&pageSize=5");

        Assert.Equal($"East {tag}", unit.Name);
        Assert.Equal($"Leads {tag}", pool.Name);
        Assert.Equal("Zhao Lei", user.DisplayName);
        Assert.Equal(HttpStatusCode.Created, sequence.Status);
        Assert.Equal($"Welcome {tag}", sequence.Value.GetProperty("name").GetString());
        Assert.Equal(("reached", "Line one\nline two"), (followUp.Data["outcome"], followUp.Text));
        Assert.Equal(HttpStatusCode.BadRequest, filtered.Status);
        Assert.Equal(["cf.tier", "poolId"], filtered.ErrorFields.Order());

        // Also to a client that asks for something other than JSON (a CSV export's Accept header).
        using var export = new HttpRequestMessage(HttpMethod.Get, "/api/customers?poolId=p%00");
        export.Headers.Accept.ParseAdd("text/csv");
        Assert.Equal(HttpStatusCode.BadRequest, (await world.RepA.SendRawAsync(export)).Status);
    }
}

[Collection(ServerCollection.Name)]
public sealed class SqliteControlCharacterTests(ServerFixture fixture) : ControlCharacterTests
{
    protected override ServerProcess Server => fixture.Server;
}

[Collection(PostgresServerCollection.Name)]
public sealed class PostgresControlCharacterTests(PostgresServerFixture fixture) : ControlCharacterTests
{
    protected override ServerProcess Server => fixture.Server;
}
