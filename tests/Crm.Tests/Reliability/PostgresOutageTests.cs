using System.Net;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Reliability;

/// <summary>
/// PostgreSQL is stopped (fast shutdown: sessions ended, open transactions rolled back) and started again in the middle
/// of a follow-up storm, on a PostgreSQL server of the test's own. Every answer is 201 or 503 (never 500); every 201 is
/// stored and no 503 is; readiness goes 503 and back; the server recovers without a restart; the log says it once.
/// </summary>
public sealed class PostgresOutageTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new("crm-pg-outage");
    private PrivatePostgres _postgres = null!;
    private ServerProcess _server = null!;

    public async Task InitializeAsync()
    {
        _postgres = await PrivatePostgres.StartAsync();
        try
        {
            _server = await ServerProcess.StartAsync(_data.Path, OutageChecks.QuickOutageSettings(_postgres.ServerSettings()));
        }
        catch
        {
            // xunit does not call DisposeAsync when InitializeAsync throws: the private PostgreSQL must not outlive the test.
            await _postgres.DisposeAsync();
            _data.Dispose();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _postgres.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Stopping_postgres_mid_storm_answers_503_loses_nothing_acknowledged_and_stores_nothing_failed()
    {
        var world = await TestWorld.CreateAsync(_server);
        var customers = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            customers.Add((await world.NewLeadAsync($"Storm {i}", company: null, phone: null)).Id);
        }

        var toClaim = (await world.NewLeadAsync("Claimed later", company: null, phone: null)).Id;
        var storm = new OutageStorm(world.Manager, customers);
        await storm.RunAsync(workers: 2, each: 2);

        var outageOver = new TaskCompletionSource();
        var during = storm.RunUntilAsync(workers: 6, outageOver.Task, limit: 80);
        await _postgres.StopServerAsync();
        await OutageChecks.WaitForAsync(_server, "/health/ready", HttpStatusCode.ServiceUnavailable);
        Assert.Equal(HttpStatusCode.OK, await OutageChecks.StatusOfAsync(_server, "/health/live"));
        var claim = await world.RepA.ClaimAsync(toClaim);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, claim.Status);
        Assert.Equal(ErrorCodes.DatabaseUnavailable, claim.Code);

        await _postgres.StartServerAsync();
        await OutageChecks.WaitForAsync(_server, "/health/ready", HttpStatusCode.OK);
        outageOver.SetResult();
        await during;

        var failedBefore = storm.Failed.Count;
        await storm.RunAsync(workers: 2, each: 3);
        Assert.Equal(failedBefore, storm.Failed.Count);
        Assert.NotEmpty(storm.Failed);
        Assert.True(storm.FailuresAreOutageAnswers, "every failure is a 503 database-unavailable with Retry-After");
        Assert.True(storm.Longest < TimeSpan.FromSeconds(15), $"a request took {storm.Longest} while PostgreSQL was away");
        await storm.AssertNoLostAndNoPhantomWritesAsync();

        Assert.Null((await world.Manager.GetCustomerAsync(toClaim)).Value!.OwnerId);
        Assert.DoesNotContain(toClaim.ToString(), (await world.RepA.GetAsync($"/api/reps/{world.RepA.UserId}/customers")).Body);
        (await world.RepA.ClaimAsync(toClaim)).EnsureStatus(HttpStatusCode.OK);
        OutageChecks.LoggedOneOutage(_server);
    }
}
