using Crm.Client;
using Crm.Grains.Customers;
using Crm.Grains.Storage;
using Crm.Server.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Crm.Tests.Storage;

/// <summary>
/// What grain storage must do, whichever provider stores it: the group-commit provider and Orleans' ADO.NET
/// provider pass the same tests, on SQLite and on PostgreSQL (see the derived classes).
/// </summary>
public abstract class GrainStorageContract(TestDatabase db)
{
    // Any state name but "customer": rows of that name are old customer states, which the server moves to the event log at start-up.
    private const string StateName = "storage-contract";

    public static TheoryData<GrainStorageKind> Providers => [GrainStorageKind.GroupCommit, GrainStorageKind.AdoNet];

    [Theory, MemberData(nameof(Providers))]
    public async Task A_read_after_a_write_returns_the_written_state_and_its_etag(GrainStorageKind provider)
    {
        await using var silo = await StorageSilo.StartAsync(db.Database, provider);
        var grain = NewCustomerId();
        var written = new GrainState<CustomerState>(Customer("Acme Trading", Stage.Opportunity, 1));

        await silo.Storage.WriteStateAsync(StateName, grain, written);
        var read = await ReadAsync(silo, grain);

        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal("Acme Trading", read.State!.Profile.Name);
        Assert.Equal(CustomerStage.Opportunity, read.State!.Stage);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_write_with_a_stale_etag_fails_with_InconsistentStateException(GrainStorageKind provider)
    {
        await using var silo = await StorageSilo.StartAsync(db.Database, provider);
        var grain = NewCustomerId();
        var current = new GrainState<CustomerState>(Customer("Acme", Stage.Lead, 1));
        await silo.Storage.WriteStateAsync(StateName, grain, current);
        var stale = new GrainState<CustomerState>(Customer("Stale copy", Stage.Lost, 2), current.ETag);
        current.State = Customer("Acme", Stage.Opportunity, 2);
        await silo.Storage.WriteStateAsync(StateName, grain, current);

        await Assert.ThrowsAsync<InconsistentStateException>(() => silo.Storage.WriteStateAsync(StateName, grain, stale));

        var read = await ReadAsync(silo, grain);
        Assert.Equal(current.ETag, read.ETag);
        Assert.Equal(CustomerStage.Opportunity, read.State!.Stage);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_second_first_write_of_the_same_grain_fails_with_InconsistentStateException(GrainStorageKind provider)
    {
        await using var silo = await StorageSilo.StartAsync(db.Database, provider);
        var grain = NewCustomerId();
        await silo.Storage.WriteStateAsync(StateName, grain, new GrainState<CustomerState>(Customer("First", Stage.Lead, 1)));

        // Another activation that never read the row believes the grain is new.
        var unaware = new GrainState<CustomerState>(Customer("Second", Stage.Lead, 1));
        await Assert.ThrowsAsync<InconsistentStateException>(() => silo.Storage.WriteStateAsync(StateName, grain, unaware));

        Assert.Equal("First", (await ReadAsync(silo, grain)).State!.Profile.Name);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task State_written_before_a_restart_is_read_back_after_it(GrainStorageKind provider)
    {
        var grain = NewCustomerId();
        var written = new GrainState<CustomerState>(Customer("Before restart", Stage.Customer, 3));
        await using (var silo = await StorageSilo.StartAsync(db.Database, provider))
        {
            await silo.Storage.WriteStateAsync(StateName, grain, written);
        }

        await using var restarted = await StorageSilo.StartAsync(db.Database, provider);
        var read = await ReadAsync(restarted, grain);

        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal("Before restart", read.State!.Profile.Name);
        Assert.Equal(3, read.State!.Version);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Clearing_forgets_the_state_and_keeps_the_version_rising(GrainStorageKind provider)
    {
        await using var silo = await StorageSilo.StartAsync(db.Database, provider);
        var grain = NewCustomerId();
        var state = new GrainState<CustomerState>(Customer("To clear", Stage.Lead, 1));
        await silo.Storage.WriteStateAsync(StateName, grain, state);
        var writtenVersion = int.Parse(state.ETag!);

        await silo.Storage.ClearStateAsync(StateName, grain, state);
        var read = await ReadAsync(silo, grain);

        Assert.False(read.RecordExists);
        Assert.Equal("", read.State!.Profile.Name);
        Assert.True(int.Parse(read.ETag!) > writtenVersion);
        await silo.Storage.WriteStateAsync(StateName, grain, new GrainState<CustomerState>(Customer("Again", Stage.Lead, 1), read.ETag));
    }

    [Fact]
    public async Task Each_provider_reads_and_updates_what_the_other_wrote()
    {
        var grain = NewCustomerId();
        var state = new GrainState<CustomerState>(Customer("Written by group commit", Stage.Lead, 1));
        await using (var silo = await StorageSilo.StartAsync(db.Database, GrainStorageKind.GroupCommit))
        {
            await silo.Storage.WriteStateAsync(StateName, grain, state);
        }

        await using (var silo = await StorageSilo.StartAsync(db.Database, GrainStorageKind.AdoNet))
        {
            var read = await ReadAsync(silo, grain);
            Assert.Equal(state.ETag, read.ETag);
            Assert.Equal("Written by group commit", read.State!.Profile.Name);
            read.State = Customer("Written by ADO.NET", Stage.Opportunity, 2);
            await silo.Storage.WriteStateAsync(StateName, grain, read);
            state = read;
        }

        await using (var silo = await StorageSilo.StartAsync(db.Database, GrainStorageKind.GroupCommit))
        {
            var read = await ReadAsync(silo, grain);
            Assert.Equal(state.ETag, read.ETag);
            Assert.Equal("Written by ADO.NET", read.State!.Profile.Name);
        }
    }

    [Fact]
    public async Task A_stale_write_fails_alone_while_the_writes_committed_with_it_succeed()
    {
        await using var silo = await StorageSilo.StartAsync(db.Database, GrainStorageKind.GroupCommit);
        var writer = silo.Services.GetRequiredService<SqlBatchWriter>();
        var grains = Enumerable.Range(0, 300).Select(_ => NewCustomerId()).ToArray();
        var states = grains.Select(_ => new GrainState<CustomerState>(Customer("v1", Stage.Lead, 1))).ToArray();
        await Task.WhenAll(grains.Select((grain, i) => silo.Storage.WriteStateAsync(StateName, grain, states[i])));
        var commitsBefore = writer.Commits;

        // All at once, so that they share transactions: a good update for most grains, a stale write alone
        // for every tenth grain, and a stale write beside the good one for others (one grain twice in a run).
        var good = grains.Select((grain, i) => (grain, i)).Where(g => g.i % 10 != 0).Select(g =>
        {
            states[g.i].State = Customer("v2", Stage.Opportunity, 2);
            return silo.Storage.WriteStateAsync(StateName, g.grain, states[g.i]);
        }).ToArray();
        var stale = grains.Where((_, i) => i % 10 is 0 or 5).Select(grain =>
            silo.Storage.WriteStateAsync(StateName, grain, new GrainState<CustomerState>(Customer("stale", Stage.Lost, 9), "999"))).ToArray();
        await Task.WhenAll(good.Concat(stale).Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));

        Assert.All(good, t => Assert.True(t.IsCompletedSuccessfully, t.Exception?.ToString()));
        Assert.All(stale, t => Assert.IsType<InconsistentStateException>(t.Exception?.InnerException));
        Assert.True(writer.Commits - commitsBefore < good.Length, $"{good.Length + stale.Length} writes took {writer.Commits - commitsBefore} commits: they were not grouped.");
        foreach (var (grain, i) in grains.Select((g, i) => (g, i)))
        {
            var read = await ReadAsync(silo, grain);
            Assert.Equal(states[i].ETag, read.ETag);
            Assert.Equal(i % 10 == 0 ? "v1" : "v2", read.State!.Profile.Name);
        }
    }

    private static async Task<GrainState<CustomerState>> ReadAsync(StorageSilo silo, GrainId grain)
    {
        var state = new GrainState<CustomerState>();
        await silo.Storage.ReadStateAsync(StateName, grain, state);
        return state;
    }

    private static GrainId NewCustomerId() => GrainId.Create(GrainType.Create("customer"), GrainIdKeyExtensions.CreateGuidKey(Guid.NewGuid()));

    private static CustomerState Customer(string name, Stage stage, long version) => new()
    {
        Exists = true,
        Profile = new CustomerProfile(name, "Acme Ltd", "+86 138 0000 0000", null, null, null, "import"),
        Stage = (CustomerStage)stage,
        PoolId = "pool-east",
        Version = version,
    };
}
