using System.Collections.Concurrent;
using System.Diagnostics;
using Crm.Grains.Customers;
using Crm.Server.Storage;
using Xunit.Abstractions;

namespace Crm.Tests.Storage;

/// <summary>
/// Nothing the group-commit storage acknowledged is lost: a child process writes grain state as fast as it
/// can, the test records every acknowledged write it prints, kills it with SIGKILL mid-storm, and finds each
/// grain stored at its last acknowledged write or later.
/// </summary>
public sealed class GrainStorageStormTests(ITestOutputHelper output)
{
    private const int Grains = 500;
    private const int AckLineLength = 45; // "ack <guid> <seq>\n"

    [Fact]
    public async Task Every_acknowledged_grain_write_survives_a_kill_9_mid_storm()
    {
        await using var db = TestDatabase.CreateSqlite();
        var file = Path.Combine(db.Directory!, "crm.db");
        var ackFile = Path.Combine(db.Directory!, "acks.txt");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["exec", typeof(StormProcess).Assembly.Location, StormProcess.GrainStorageStorm, file, Grains.ToString(), ackFile])
        {
            start.ArgumentList.Add(argument);
        }

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var printed = new ConcurrentQueue<string>();
        using var storm = Process.Start(start)!;
        storm.OutputDataReceived += (_, e) =>
        {
            if (e.Data == "ready")
            {
                ready.TrySetResult();
            }
        };
        storm.ErrorDataReceived += (_, e) => { if (e.Data is not null) printed.Enqueue(e.Data); };
        storm.BeginOutputReadLine();
        storm.BeginErrorReadLine();

        // Let the storm run at full speed (about 20,000 acknowledged writes), then kill it mid-flight.
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (new FileInfo(ackFile).Length < 20_000 * AckLineLength && DateTime.UtcNow < deadline && !storm.HasExited)
        {
            await Task.Delay(20);
        }

        Assert.False(storm.HasExited, $"The storm process ended by itself:\n{string.Join('\n', printed)}");
        using (var kill = Process.Start("kill", ["-9", storm.Id.ToString()]))
        {
            await kill.WaitForExitAsync();
        }

        await storm.WaitForExitAsync();

        // Every complete line is a write the storage acknowledged; a torn last line is not.
        var acknowledged = new Dictionary<Guid, long>();
        var acks = 0;
        foreach (var line in File.ReadAllText(ackFile).Split('\n').SkipLast(1))
        {
            var parts = line.Split(' ');
            var (id, seq) = (Guid.Parse(parts[1]), long.Parse(parts[2]));
            acknowledged[id] = Math.Max(seq, acknowledged.GetValueOrDefault(id));
            acks++;
        }

        Assert.True(acknowledged.Count == Grains, $"Only {acknowledged.Count} of {Grains} grains had an acknowledged write.");

        await using var restarted = await StorageSilo.StartAsync(db.Database, GrainStorageKind.GroupCommit);
        var behind = new List<string>();
        foreach (var (id, seq) in acknowledged)
        {
            var state = new GrainState<CustomerState>();
            await restarted.Storage.ReadStateAsync(StormProcess.StateName, GrainId.Create(GrainType.Create(StormProcess.StateName), GrainIdKeyExtensions.CreateGuidKey(id)), state);
            var stored = state.State!;
            if (!state.RecordExists || stored.Version < seq || stored.Profile.Name != StormProcess.State(id, stored.Version).Profile.Name)
            {
                behind.Add($"grain {id}: acknowledged write #{seq}, stored #{stored.Version} '{stored.Profile.Name}'");
            }
        }

        output.WriteLine($"{acks} writes acknowledged across {Grains} grains before the kill; {behind.Count} grains behind.");
        Assert.True(behind.Count == 0, $"{behind.Count} grains lost acknowledged writes:\n{string.Join('\n', behind.Take(20))}");
    }
}
