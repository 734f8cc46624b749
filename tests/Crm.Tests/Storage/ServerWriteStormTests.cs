using System.Collections.Concurrent;
using System.Net;
using Crm.Client;
using Crm.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Crm.Tests.Storage;

/// <summary>
/// End to end: the real server is killed with SIGKILL in the middle of a storm of creates and follow-ups
/// over HTTP and restarted on the same SQLite file; every write it had answered with 201 is there.
/// </summary>
public sealed class ServerWriteStormTests(ITestOutputHelper output)
{
    private const int Writers = 48;

    private static readonly Dictionary<string, string> GroupCommit = new() { ["Crm__Storage__GrainStorage"] = "GroupCommit" };

    [Fact]
    public async Task Every_create_and_follow_up_answered_201_survives_a_kill_9_mid_storm()
    {
        using var data = new TempDirectory("crm-storm");
        var acknowledged = new ConcurrentDictionary<Guid, (string Name, int FollowUps)>();
        var refused = new ConcurrentQueue<string>(); // any answer but 201 before the kill is a defect, not noise

        await using (var server = await ServerProcess.StartAsync(data.Path, GroupCommit))
        {
            var admin = await server.Api().LoginAsAdminAsync();
            var unit = (await admin.CreateOrgUnitAsync("Storm team")).EnsureStatus(HttpStatusCode.Created).Value!;
            var pool = (await admin.CreatePoolAsync("Storm pool", unit.Id)).EnsureStatus(HttpStatusCode.Created).Value!;

            using var stop = new CancellationTokenSource();
            var storm = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
            {
                try
                {
                    for (var i = 0; !stop.IsCancellationRequested; i++)
                    {
                        var name = $"Storm {writer}-{i}";
                        var created = await admin.CreateCustomerAsync(new CreateCustomerRequest(name, PoolId: pool.Id));
                        if (created.Status != HttpStatusCode.Created)
                        {
                            refused.Enqueue($"create {name}: {(int)created.Status} {created.Body}");
                            break;
                        }

                        var id = created.Value!.Id;
                        acknowledged[id] = (name, 0);
                        for (var f = 1; f <= 2; f++)
                        {
                            var followUp = await admin.FollowUpAsync(id, FollowUpType.Call, $"reached {f}");
                            if (followUp.Status != HttpStatusCode.Created)
                            {
                                refused.Enqueue($"follow-up {f} of {name}: {(int)followUp.Status} {followUp.Body}");
                                break;
                            }

                            acknowledged[id] = (name, f);
                        }
                    }
                }
                catch (Exception) when (stop.IsCancellationRequested)
                {
                    // The server died under this request: it was never acknowledged.
                }
            })).ToArray();

            // Let the storm reach full speed, then kill the server while requests are in flight.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (acknowledged.Count < 600 && DateTime.UtcNow < deadline && storm.All(t => !t.IsCompleted))
            {
                await Task.Delay(50);
            }

            stop.Cancel();
            await server.KillAsync();
            await Task.WhenAll(storm);
        }

        Assert.True(refused.IsEmpty, $"{refused.Count} writes were answered with something other than 201:\n{string.Join("\n", refused.Take(20))}");
        Assert.True(acknowledged.Count >= 100, $"The storm acknowledged only {acknowledged.Count} creates before the kill.");

        await using var restarted = await ServerProcess.StartAsync(data.Path, GroupCommit);
        var reader = await restarted.Api().LoginAsAdminAsync();
        var lost = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(acknowledged, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (entry, _) =>
        {
            var (id, (name, followUps)) = entry;
            var customer = await reader.GetCustomerAsync(id);
            var timeline = await reader.TimelineAsync(id);
            var stored = timeline.Value?.Count(e => e.Kind == "follow-up") ?? 0;
            if (customer.Status != HttpStatusCode.OK || customer.Value!.Name != name || stored < followUps)
            {
                lost.Add($"customer {id}: {customer.Status}, {stored} of {followUps} acknowledged follow-ups");
            }
        });

        output.WriteLine($"Acknowledged before the kill: {acknowledged.Count} creates, {acknowledged.Values.Sum(v => v.FollowUps)} follow-ups; lost: {lost.Count}");
        Assert.True(lost.IsEmpty, $"{lost.Count} of {acknowledged.Count} acknowledged customers lost writes:\n{string.Join("\n", lost.Take(20))}");
    }
}
