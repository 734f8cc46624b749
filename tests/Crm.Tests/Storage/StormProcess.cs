using Crm.Client;
using Crm.Grains.Customers;
using Crm.Grains.Storage;
using Crm.Server.Storage;

namespace Crm.Tests.Storage;

/// <summary>
/// The test assembly's entry point, for child processes that a test kills (the test host never calls it):
/// <c>dotnet Crm.Tests.dll grain-storage-storm &lt;sqlite file&gt; &lt;grains&gt; &lt;ack file&gt;</c> starts a silo with
/// group-commit storage on the file and writes every grain's state over and over, appending
/// <c>ack &lt;grain&gt; &lt;seq&gt;</c> to the ack file only after a write completed, i.e. after the storage acknowledged it.
/// </summary>
/// <remarks>
/// Acks go to an unbuffered file, not to stdout: a pipe that the test reads slower than the storm writes
/// would throttle the storm into lock-step with the reader and hide a write acknowledged before its commit.
/// Each ack is one write() call, so it is in the OS's file cache, and survives SIGKILL, before the next write.
/// </remarks>
public static class StormProcess
{
    public const string GrainStorageStorm = "grain-storage-storm";
    // Any state name but "customer": rows of that name are old customer states, which the server moves to the event log at start-up.
    public const string StateName = "storm";

    public static async Task<int> Main(string[] args)
    {
        if (args is not [GrainStorageStorm, var file, var count, var ackFile])
        {
            Console.Error.WriteLine($"Usage: Crm.Tests {GrainStorageStorm} <sqlite file> <grains> <ack file>");
            return 2;
        }

        await using var acks = new FileStream(ackFile, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);

        var database = new CrmDatabase(DatabaseProvider.Sqlite, $"Data Source={file}");
        await using var silo = await StorageSilo.StartAsync(database, GrainStorageKind.GroupCommit);
        Console.WriteLine("ready");
        await Task.WhenAll(Enumerable.Range(0, int.Parse(count)).Select(_ => Task.Run(async () =>
        {
            var id = Guid.NewGuid();
            var grain = GrainId.Create(GrainType.Create(StateName), GrainIdKeyExtensions.CreateGuidKey(id));
            var state = new GrainState<CustomerState>(new CustomerState());
            for (var seq = 1L; ; seq++)
            {
                state.State = State(id, seq);
                await silo.Storage.WriteStateAsync(StateName, grain, state);
                var line = System.Text.Encoding.ASCII.GetBytes($"ack {id} {seq}\n");
                lock (acks)
                {
                    acks.Write(line);
                }
            }
        })));
        return 0;
    }

    /// <summary>The state written as write number <paramref name="seq"/> of a grain.</summary>
    public static CustomerState State(Guid id, long seq) => new()
    {
        Exists = true,
        Profile = new CustomerProfile($"Storm {id:N} #{seq}", "Storm Trading", null, null, null, null, "storm"),
        Stage = CustomerStage.Lead,
        PoolId = "pool-storm",
        Version = seq,
    };
}
