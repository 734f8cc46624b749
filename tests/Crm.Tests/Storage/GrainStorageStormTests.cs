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

    [Fact]
    public async Task Every_acknowledged_grain_write_survives_a_kill_9_mid_storm()
    {
        await using var db = TestDatabase.CreateSqlite();
        var file = Path.Combine(db.Directory!, "crm.db");
        var acknowledged = new ConcurrentDictionary<Guid, long>();
        long acks = 0;

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["exec", typeof(StormProcess).Assembly.Location, StormProcess.GrainStorageStorm, file, Grains.ToString()])
        {
            start.ArgumentList.Add(argument);
        }

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new ConcurrentQueue<string>();
        using var storm = Process.Start(start)!;
        storm.OutputDataReceived += (_, e) =>
        {
            if (e.Data is ['a', 'c', 'k', ' ', ..] line && line.Split(' ') is [_, var id, var seq])
            {
                acknowledged.AddOrUpdate(Guid.Parse(id), long.Parse(seq), (_, old) => Math.Max(old, long.Parse(seq)));
                Interlocked.Increment(ref acks);
            }
            else if (e.Data == "ready")
            {
                ready.TrySetResult();
            }
        };
        storm.ErrorDataReceived += (_, e) => { if (e.Data is not null) errors.Enqueue(e.Data); };
        storm.BeginOutputReadLine();
        storm.BeginErrorReadLine();

        await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (Interlocked.Read(ref acks) < 20_000 && DateTime.UtcNow < deadline && !storm.HasExited)
        {
            await Task.Delay(20);
        }

        Assert.False(storm.HasExited, $"The storm process ended by itself:\n{string.Join('\n', errors)}");
        using (var kill = Process.Start("kill", ["-9", storm.Id.ToString()]))
        {
            await kill.WaitForExitAsync();
        }

        storm.WaitForExit(); // also drains what the process printed before it died: those writes were acknowledged too
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

        output.WriteLine($"{Interlocked.Read(ref acks)} writes acknowledged across {Grains} grains before the kill; {behind.Count} grains behind.");
        Assert.True(behind.Count == 0, $"{behind.Count} grains lost acknowledged writes:\n{string.Join('\n', behind.Take(20))}");
    }
}
