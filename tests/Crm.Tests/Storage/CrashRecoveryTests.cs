using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Crm.Client;
using Xunit.Abstractions;

namespace Crm.Tests.Storage;

/// <summary>
/// Nothing acknowledged is lost: the real server is killed with SIGKILL in the middle of a write storm and
/// restarted on the same SQLite file; every create and follow-up it had answered with 201 is there.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private const int Writers = 48;

    [Fact]
    public async Task Every_acknowledged_write_survives_a_kill_9_in_the_middle_of_a_write_storm()
    {
        await using var db = TestDatabase.CreateSqlite();
        var acknowledged = new ConcurrentDictionary<Guid, int>(); // customer -> follow-ups acknowledged
        var names = new ConcurrentDictionary<Guid, string>();

        await using (var server = await ServerProcess.StartAsync(db.Directory!, "--Crm:Storage:GrainStorage=GroupCommit"))
        {
            var unit = await server.PostAsync<OrgUnitDto>("/api/org-units", new CreateOrgUnitRequest("Storm team"));
            var pool = await server.PostAsync<PoolDto>("/api/pools", new CreatePoolRequest("Storm pool", unit.Id, null));

            using var stop = new CancellationTokenSource();
            var storm = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        var name = $"Storm {writer}-{i}";
                        var customer = await server.PostAsync<CustomerDto>("/api/customers", new CreateCustomerRequest(name, PoolId: pool.Id));
                        names[customer.Id] = name;
                        acknowledged[customer.Id] = 0;
                        for (var f = 0; f < 2; f++)
                        {
                            await server.PostAsync<TimelineEntryDto>($"/api/customers/{customer.Id}/follow-ups", new FollowUpRequest(FollowUpType.Call, $"reached {f}"));
                            acknowledged[customer.Id] = f + 1;
                        }
                    }
                    catch (Exception) when (stop.IsCancellationRequested)
                    {
                        return; // the server died under this request: it was never acknowledged
                    }
                }
            })).ToArray();

            // Let the storm reach full speed, then kill the server while requests are in flight.
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (acknowledged.Count < 600 && DateTime.UtcNow < deadline && storm.All(t => !t.IsCompleted))
            {
                await Task.Delay(50);
            }

            stop.Cancel();
            await server.KillAsync();
            await Task.WhenAll(storm);
        }

        Assert.True(acknowledged.Count >= 100, $"The storm acknowledged only {acknowledged.Count} creates before the kill.");

        await using var restarted = await ServerProcess.StartAsync(db.Directory!, "--Crm:Storage:GrainStorage=GroupCommit");
        var lost = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(acknowledged, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (entry, _) =>
        {
            var (id, followUps) = entry;
            using var response = await restarted.Http.GetAsync($"/api/customers/{id}");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                lost.Add($"customer {id}: {(int)response.StatusCode}");
                return;
            }

            var customer = (await response.Content.ReadFromJsonAsync<CustomerDto>(ServerProcess.Json))!;
            var timeline = (await restarted.Http.GetFromJsonAsync<List<TimelineEntryDto>>($"/api/customers/{id}/timeline", ServerProcess.Json))!;
            var stored = timeline.Count(e => e.Kind == "follow-up");
            if (customer.Name != names[id] || stored < followUps)
            {
                lost.Add($"customer {id}: name '{customer.Name}', {stored} of {followUps} acknowledged follow-ups");
            }
        });

        output.WriteLine($"Acknowledged before the kill: {acknowledged.Count} creates, {acknowledged.Values.Sum()} follow-ups; lost: {lost.Count}");
        Assert.True(lost.IsEmpty, $"{lost.Count} of {acknowledged.Count} acknowledged customers lost writes:\n{string.Join("\n", lost.Take(20))}");
    }
}
