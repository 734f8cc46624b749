using System.Net;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Storage;

/// <summary>Stop the server (gracefully, or with SIGKILL) and start it on the same database: nothing is lost.</summary>
public sealed class RestartTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task Every_customer_owner_follow_up_and_timeline_entry_survives_a_restart(bool kill, bool postgres)
    {
        using var data = new TempDirectory("crm-restart");
        await using var database = postgres ? await PostgresDatabase.CreateAsync() : null;
        var settings = database?.ServerSettings();
        // The same process settings (ports included) are used for the restart, as an operator's service unit would.
        await using var server = await ServerProcess.StartAsync(data.Path, settings);
        var world = await TestWorld.CreateAsync(server);
        var customers = new List<Guid>();
        for (var i = 0; i < 20; i++)
        {
            var lead = await world.NewLeadAsync($"Restart {i}", phone: $"+86 138 0000 {i:0000}");
            customers.Add(lead.Id);
            if (i % 2 == 0)
            {
                (await world.RepA.ClaimAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK);
                (await world.RepA.FollowUpAsync(lead.Id, FollowUpType.Call, $"call {i}", "asked for a quote")).EnsureStatus(HttpStatusCode.Created);
                (await world.RepA.ChangeStageAsync(lead.Id, Stage.Opportunity, "quote sent")).EnsureStatus(HttpStatusCode.OK);
            }
        }

        var before = new Dictionary<Guid, (CustomerDto Customer, List<TimelineEntryDto> Timeline)>();
        foreach (var id in customers)
        {
            before[id] = ((await world.Admin.GetCustomerAsync(id)).Value!, (await world.Admin.TimelineAsync(id)).Value!);
        }

        if (kill)
        {
            await server.KillAsync();
        }
        else
        {
            await server.StopAsync();
        }

        await server.StartAsync();
        var restarted = server;
        // Tokens issued before the restart stay valid: the signing key lives in the database.
        var admin = new CrmApi(restarted.BaseAddress, world.Admin.Token);
        var repA = new CrmApi(restarted.BaseAddress, world.RepA.Token) { UserId = world.RepA.UserId };

        foreach (var id in customers)
        {
            var customer = (await admin.GetCustomerAsync(id)).EnsureStatus(HttpStatusCode.OK).Value!;
            var timeline = (await admin.TimelineAsync(id)).Value!;
            Assert.Equal(before[id].Customer, customer);
            Assert.Equal(before[id].Timeline.Select(e => (e.Seq, e.Kind, e.ActorId, e.Reason, e.Text)),
                timeline.Select(e => (e.Seq, e.Kind, e.ActorId, e.Reason, e.Text)));
        }

        var owned = (await repA.SendAsync<Page<CustomerDto>>(HttpMethod.Get, $"/api/reps/{repA.UserId}/customers")).Value!;
        Assert.Equal(10, owned.Total);
        var unowned = (await repA.SendAsync<Page<CustomerDto>>(HttpMethod.Get, $"/api/pools/{world.PoolId}/customers")).Value!;
        Assert.Equal(10, unowned.Total);

        // And the restarted server keeps working on the same data.
        (await repA.ReleaseAsync(customers[0], "handing over")).EnsureStatus(HttpStatusCode.OK);
        Assert.NotNull((await restarted.Api().LoginAsAdminAsync()).Token);
    }
}
