using System.Net;
using System.Text.Json;
using Crm.Client;
using Crm.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Crm.Tests.Reliability;

/// <summary>
/// The SQLite file is locked by another process's write transaction in the middle of a follow-up storm (what a backup
/// tool or a stray sqlite3 shell does): commands answer 503 with Retry-After in bounded time, never 500; nothing that
/// failed is stored, everything acknowledged is; readiness says so; the server recovers without a restart.
/// </summary>
public sealed class SqliteOutageTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new("crm-outage");
    private ServerProcess _server = null!;

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync(_data.Path, OutageChecks.QuickOutageSettings());

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _data.Dispose();
    }

    private static Dictionary<string, string> Key(string key) => new() { ["Idempotency-Key"] = key };

    [Fact]
    public async Task A_locked_database_answers_503_leaves_no_trace_and_recovers_without_a_restart()
    {
        var world = await TestWorld.CreateAsync(_server);
        var customers = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            customers.Add((await world.NewLeadAsync($"Storm {i}", company: null, phone: null)).Id);
        }

        var toClaim = (await world.NewLeadAsync("Claimed later", company: null, phone: null)).Id;
        var storm = new OutageStorm(world.Manager, customers);
        await storm.RunAsync(workers: 2, each: 3);
        Assert.All(storm.Statuses, s => Assert.Equal(HttpStatusCode.Created, s));

        await using (var locker = new SqliteConnection($"Data Source={Path.Combine(_data.Path, "crm.db")};Pooling=False"))
        {
            await locker.OpenAsync();
            await using (var begin = locker.CreateCommand())
            {
                begin.CommandText = "PRAGMA busy_timeout=10000; BEGIN IMMEDIATE;";
                await begin.ExecuteNonQueryAsync();
            }

            // The storm and one command of each other grain kind at once: the pool (rules), the rep (claim), the dedup index (create).
            var claim = world.RepA.ClaimAsync(toClaim);
            var rules = world.Manager.SendAsync<JsonElement>(HttpMethod.Put, $"/api/pools/{world.PoolId}/rules", new PoolRules { CapacityPerRep = 7 });
            var create = world.Admin.CreateCustomerAsync(new CreateCustomerRequest("Never stored", PoolId: world.PoolId));
            var keyedTask = world.Manager.SendAsync<TimelineEntryDto>(HttpMethod.Post, $"/api/customers/{customers[1]}/follow-ups",
                new FollowUpRequest(FollowUpType.Visit, "met", "keyed during the outage"), Key("outage-retry"));
            await Task.WhenAll(storm.RunAsync(workers: 4, each: 2), claim, rules, create, keyedTask);
            var (created, keyed) = (await create, await keyedTask);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, keyed.Status);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await claim).Status);
            Assert.Equal(ErrorCodes.DatabaseUnavailable, (await claim).Code);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await rules).Status);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, created.Status);
            Assert.NotEmpty(storm.Failed);
            Assert.True(storm.FailuresAreOutageAnswers, "every failure is a 503 database-unavailable with Retry-After");
            Assert.True(storm.Longest < TimeSpan.FromSeconds(15), $"a request took {storm.Longest} while the file was locked");

            await OutageChecks.WaitForAsync(_server, "/health/ready", HttpStatusCode.ServiceUnavailable);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await OutageChecks.StatusOfAsync(_server, "/health"));
            Assert.Equal(HttpStatusCode.OK, await OutageChecks.StatusOfAsync(_server, "/health/live"));
            // A customer whose grain is active is still read from memory.
            (await world.Manager.GetCustomerAsync(customers[0])).EnsureStatus(HttpStatusCode.OK);
        }

        await OutageChecks.WaitForAsync(_server, "/health/ready", HttpStatusCode.OK);
        var failedBefore = storm.Failed.Count;
        await storm.RunAsync(workers: 2, each: 2);
        Assert.Equal(failedBefore, storm.Failed.Count);
        Assert.All(storm.Statuses, s => Assert.Contains(s, new[] { HttpStatusCode.Created, HttpStatusCode.ServiceUnavailable }));
        await storm.AssertNoLostAndNoPhantomWritesAsync();

        // A 503 is not kept against its key: the retry with the same key runs the command.
        var retried = await world.Manager.SendAsync<TimelineEntryDto>(HttpMethod.Post, $"/api/customers/{customers[1]}/follow-ups",
            new FollowUpRequest(FollowUpType.Visit, "met", "keyed during the outage"), Key("outage-retry"));
        retried.EnsureStatus(HttpStatusCode.Created);
        Assert.Single((await world.Manager.TimelineAsync(customers[1])).Value!, e => e.Text == "keyed during the outage");

        // The claim, the rules and the customer refused during the outage left nothing behind, in any grain.
        Assert.Null((await world.Manager.GetCustomerAsync(toClaim)).Value!.OwnerId);
        Assert.DoesNotContain(toClaim.ToString(), (await world.RepA.GetAsync($"/api/reps/{world.RepA.UserId}/customers")).Body);
        Assert.Null((await world.Manager.SendAsync<PoolDto>(HttpMethod.Get, $"/api/pools/{world.PoolId}")).Value!.Rules.CapacityPerRep);
        Assert.Equal(0, (await world.Admin.SearchAsync($"query=Never%20stored&poolId={world.PoolId}")).Value!.Total);
        (await world.RepA.ClaimAsync(toClaim)).EnsureStatus(HttpStatusCode.OK);
        Assert.Contains(toClaim.ToString(), (await world.RepA.GetAsync($"/api/reps/{world.RepA.UserId}/customers")).Body);
        OutageChecks.LoggedOneOutage(_server);
    }
}
