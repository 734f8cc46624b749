using System.Net;
using Crm.Client;
using Crm.Grains.Storage;
using Crm.Tests.Infrastructure;
using Dapper;

namespace Crm.Tests.Customers;

/// <summary>
/// The real server dies (the test hook kills it like kill -9) right after committing a change and before delivering its
/// side effects. Started again on the same data, its outbox sweep delivers them late: the rep's app gets the push, the
/// rep's private pool follows, and the outbox empties.
/// </summary>
public sealed class OutboxCrashTests
{
    /// <summary>Long enough for a test to connect its SignalR clients after /health answers, before the first sweep.</summary>
    private static readonly TimeSpan StartupDelay = TimeSpan.FromSeconds(25);

    /// <summary>
    /// A bound on waits that end as soon as their event comes: the sweep starts <see cref="StartupDelay"/> after the restart,
    /// and under a full test run it came more than 30 s after the clients connected (the PostgreSQL release case, once).
    /// </summary>
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_release_committed_just_before_the_server_died_reaches_the_rep_and_the_private_pool_after_the_restart(bool postgres)
    {
        using var data = new TempDirectory("crm-outbox-crash");
        await using var database = postgres ? await PostgresDatabase.CreateAsync() : null;
        var settings = Settings(database);
        await using var crashing = await ServerProcess.StartAsync(data.Path, With(settings, ("Crm__Outbox__TestCrashAfterCommitOf", "released")));
        // Room for one customer: whether the rep grain still holds the released one shows in whether the rep may claim another.
        var world = await TestWorld.CreateAsync(crashing, new PoolRules { CapacityPerRep = 1 });
        var lead = await world.NewLeadAsync("Crash Release Ltd.", phone: "+86 139 1111 0001");
        var next = await world.NewLeadAsync("Next In Line Ltd.", phone: "+86 139 1111 0003");
        (await world.RepA.ClaimAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK);
        Assert.Equal("capacity-full", (await world.RepA.ClaimAsync(next.Id)).EnsureStatus(HttpStatusCode.Conflict).Code);

        await Assert.ThrowsAnyAsync<Exception>(() => world.RepA.ReleaseAsync(lead.Id, "moved away"));
        Assert.True(await crashing.ExitsWithinAsync(Generous), "the server did not die after committing the release");

        await using var restarted = await ServerProcess.StartAsync(data.Path, Restarted(settings));
        var rep = new CrmApi(restarted.BaseAddress, world.RepA.Token) { UserId = world.RepA.UserId };
        var manager = new CrmApi(restarted.BaseAddress, world.Manager.Token) { UserId = world.Manager.UserId };
        await using var repEvents = await EventRecorder.ConnectAsync(rep);
        await using var unitEvents = await EventRecorder.ConnectAsync(manager);
        // The commit survived; its side effects have not happened yet: the rep grain still holds the customer.
        var customer = (await rep.GetCustomerAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Null(customer.OwnerId);
        Assert.Equal("capacity-full", (await rep.ClaimAsync(next.Id)).EnsureStatus(HttpStatusCode.Conflict).Code);
        AssertNoSweepYet(restarted);

        var released = await repEvents.WaitForAsync<CustomerReleased>(lead.Id, Generous);
        Assert.Equal((world.RepA.UserId, "moved away"), (released.RepId, released.Reason));
        Assert.Equal(world.RepA.UserId, (await unitEvents.WaitForAsync<CustomerReleased>(lead.Id, Generous)).RepId);
        var privatePool = (await rep.SendAsync<Page<CustomerDto>>(HttpMethod.Get, $"/api/reps/{rep.UserId}/customers")).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.DoesNotContain(privatePool.Items, c => c.Id == lead.Id);
        var publicPool = (await rep.SendAsync<Page<CustomerDto>>(HttpMethod.Get, $"/api/pools/{world.PoolId}/customers")).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Contains(publicPool.Items, c => c.Id == lead.Id && c.OwnerId is null);
        var timeline = (await manager.TimelineAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(["created", "claimed", "released"], timeline.Select(e => e.Kind));
        await OutboxEmptiedAsync(data.Path, database, lead.Id);
        // The drop was delivered before the push: the private pool has room again.
        (await rep.ClaimAsync(next.Id)).EnsureStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_follow_up_committed_just_before_the_server_died_is_pushed_late_after_the_restart()
    {
        using var data = new TempDirectory("crm-outbox-crash");
        var settings = Settings(null);
        await using var crashing = await ServerProcess.StartAsync(data.Path, With(settings, ("Crm__Outbox__TestCrashAfterCommitOf", "follow-up")));
        var world = await TestWorld.CreateAsync(crashing);
        var lead = await world.NewLeadAsync("Crash Follow-up Ltd.", phone: "+86 139 1111 0002");
        (await world.RepA.ClaimAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK);

        await Assert.ThrowsAnyAsync<Exception>(() => world.RepA.FollowUpAsync(lead.Id, FollowUpType.Visit, "asked for a quote", "the visit before the crash"));
        Assert.True(await crashing.ExitsWithinAsync(Generous), "the server did not die after committing the follow-up");

        await using var restarted = await ServerProcess.StartAsync(data.Path, Restarted(settings));
        var rep = new CrmApi(restarted.BaseAddress, world.RepA.Token) { UserId = world.RepA.UserId };
        await using var repEvents = await EventRecorder.ConnectAsync(rep);
        AssertNoSweepYet(restarted);

        var followUp = await repEvents.WaitForAsync<FollowUpAdded>(lead.Id, Generous);

        Assert.Equal((FollowUpType.Visit, "asked for a quote", world.RepA.UserId), (followUp.Type, followUp.Outcome, followUp.RepId));
        var timeline = (await rep.TimelineAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Single(timeline, e => e.Kind == "follow-up" && e.Text == "the visit before the crash");
        Assert.Equal(world.RepA.UserId, (await rep.GetCustomerAsync(lead.Id)).Value!.OwnerId);
        await OutboxEmptiedAsync(data.Path, null, lead.Id);
    }

    /// <summary>
    /// The first sweep must not have run before the clients connected, or the late push would have gone to nobody and
    /// the test would prove nothing (raise <see cref="StartupDelay"/> if this fails on a slow machine).
    /// </summary>
    private static void AssertNoSweepYet(ServerProcess server) =>
        Assert.DoesNotContain(server.Output, line => line.Contains("Outbox sweep delivered"));

    /// <summary>Database and fixed silo ports: the restarted server is the same silo to the cluster's membership table.</summary>
    private static Dictionary<string, string> Settings(PostgresDatabase? database)
    {
        var settings = database?.ServerSettings() ?? [];
        settings["Crm__Cluster__SiloPort"] = FreePort.Next().ToString();
        settings["Crm__Cluster__GatewayPort"] = FreePort.Next().ToString();
        return settings;
    }

    /// <summary>Without the crash hook; the sweep starts late enough to connect first, and takes entries older than a second.</summary>
    private static Dictionary<string, string> Restarted(Dictionary<string, string> settings) => With(settings,
        ("Crm__Outbox__StartupDelay", StartupDelay.ToString()),
        ("Crm__Outbox__RetryAfter", "00:00:01"));

    private static Dictionary<string, string> With(Dictionary<string, string> settings, params (string Key, string Value)[] more)
    {
        var copy = new Dictionary<string, string>(settings);
        foreach (var (key, value) in more)
        {
            copy[key] = value;
        }

        return copy;
    }

    /// <summary>The delivered entry is deleted from the outbox table (read straight from the server's database).</summary>
    private static async Task OutboxEmptiedAsync(string dataDirectory, PostgresDatabase? postgres, Guid customerId)
    {
        var database = postgres is null
            ? new CrmDatabase(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(dataDirectory, "crm.db")}")
            : new CrmDatabase(DatabaseProvider.PostgreSql, postgres.ConnectionString);
        var deadline = DateTime.UtcNow + Generous;
        long left;
        do
        {
            await using var connection = await database.OpenAsync();
            left = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM customer_outbox WHERE customer_id = @id", new { id = customerId.ToString() });
            if (left == 0)
            {
                return;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"{left} outbox entries of {customerId} are still there");
    }
}
