using Crm.Grains.Storage;
using Crm.Server.Storage.GroupCommit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;

namespace Crm.Tests.Storage;

/// <summary>
/// The embedded profile's reminder table (writes through the group-commit writer) against the contract Orleans' reminder
/// service relies on, and against Orleans' own ADO.NET provider on the same file: a server that stored its reminders with
/// that provider before keeps them, and the other way round.
/// </summary>
public sealed class GroupCommitReminderTableTests : IAsyncLifetime
{
    private const string ServiceId = "crm-reminders-test";
    private TestDatabase _db = null!;
    private SqlBatchWriter _writer = null!;
    private GroupCommitReminderTable _table = null!;

    public async Task InitializeAsync()
    {
        _db = TestDatabase.CreateSqlite();
        _writer = new SqlBatchWriter(_db.Database, NullLogger<SqlBatchWriter>.Instance);
        _table = new GroupCommitReminderTable(_db.Database, _writer, Options.Create(new ClusterOptions { ServiceId = ServiceId }));
        await _table.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task A_reminder_is_stored_read_back_changed_and_removed_only_with_its_current_etag()
    {
        var grain = GrainId.Create("rep", "rep-7");
        var startAt = new DateTime(2026, 3, 2, 9, 30, 15, 250, DateTimeKind.Utc);

        var first = await _table.UpsertRow(Entry(grain, "recycle-sweep", startAt, TimeSpan.FromHours(1)));
        var read = await _table.ReadRow(grain, "recycle-sweep");

        Assert.NotNull(read);
        Assert.Equal(startAt, read.StartAt);
        Assert.Equal(DateTimeKind.Utc, read.StartAt.Kind);
        Assert.Equal(TimeSpan.FromHours(1), read.Period);
        Assert.Equal(first, read.ETag);

        var second = await _table.UpsertRow(Entry(grain, "recycle-sweep", startAt.AddDays(1), TimeSpan.FromMinutes(30)));
        Assert.NotEqual(first, second);
        Assert.Equal(startAt.AddDays(1), (await _table.ReadRow(grain, "recycle-sweep"))!.StartAt);

        Assert.False(await _table.RemoveRow(grain, "recycle-sweep", first!)); // stale
        Assert.False(await _table.RemoveRow(grain, "recycle-sweep", "not-an-etag"));
        Assert.True(await _table.RemoveRow(grain, "recycle-sweep", second!));
        Assert.Null(await _table.ReadRow(grain, "recycle-sweep"));
    }

    [Fact]
    public async Task A_grain_reads_its_own_reminders_and_a_silo_reads_its_hash_range_including_one_that_wraps()
    {
        var grains = Enumerable.Range(0, 40).Select(i => GrainId.Create("rep", $"rep-{i}")).ToList();
        foreach (var grain in grains)
        {
            await _table.UpsertRow(Entry(grain, "a", new DateTime(2026, 3, 2, 0, 0, 0, DateTimeKind.Utc), TimeSpan.FromHours(1)));
        }

        await _table.UpsertRow(Entry(grains[0], "b", new DateTime(2026, 3, 3, 0, 0, 0, DateTimeKind.Utc), TimeSpan.FromHours(1)));

        Assert.Equal(["a", "b"], (await _table.ReadRows(grains[0])).Reminders.Select(r => r.ReminderName).Order());
        // The ring split in two at an arbitrary point: every reminder is in exactly one of the two ranges, one of which
        // wraps past uint.MaxValue.
        const uint cut = 0x9000_0000;
        const uint other = 0x2000_0000;
        var ours = (await _table.ReadRows(other, cut)).Reminders;
        var wrapped = (await _table.ReadRows(cut, other)).Reminders;
        Assert.Equal(41, ours.Count + wrapped.Count);
        Assert.All(ours, r => Assert.InRange(r.GrainId.GetUniformHashCode(), other + 1, cut));
        Assert.All(wrapped, r => Assert.True(r.GrainId.GetUniformHashCode() > cut || r.GrainId.GetUniformHashCode() <= other));
        Assert.NotEmpty(ours);
        Assert.NotEmpty(wrapped);
    }

    [Fact]
    public async Task Reminders_written_by_Orleans_ado_net_provider_are_read_and_removed_by_this_table_and_the_other_way_round()
    {
        await using var services = new ServiceCollection()
            .Configure<ClusterOptions>(o => o.ServiceId = ServiceId)
            .UseAdoNetReminderService(o => o.Configure(a =>
            {
                a.Invariant = _db.Database.OrleansInvariant;
                a.ConnectionString = _db.Database.ConnectionString;
            }))
            .BuildServiceProvider();
        var orleans = services.GetRequiredService<IReminderTable>();
        await orleans.StartAsync();
        var (theirs, ours) = (GrainId.Create("rep", "theirs"), GrainId.Create("rep", "ours"));
        var startAt = new DateTime(2026, 3, 2, 9, 0, 0, 125, DateTimeKind.Utc);

        var theirEtag = await orleans.UpsertRow(Entry(theirs, "recycle-sweep", startAt, TimeSpan.FromHours(1)));
        var ourEtag = await _table.UpsertRow(Entry(ours, "recycle-sweep", startAt, TimeSpan.FromHours(1)));

        var readByUs = await _table.ReadRow(theirs, "recycle-sweep");
        var readByThem = await orleans.ReadRow(ours, "recycle-sweep");
        Assert.Equal((startAt, TimeSpan.FromHours(1), theirEtag), (readByUs!.StartAt, readByUs.Period, readByUs.ETag));
        Assert.Equal((startAt.Ticks, TimeSpan.FromHours(1), ourEtag), (readByThem!.StartAt.Ticks, readByThem.Period, readByThem.ETag));
        Assert.True(await _table.RemoveRow(theirs, "recycle-sweep", theirEtag!));
        Assert.True(await orleans.RemoveRow(ours, "recycle-sweep", ourEtag!));
        Assert.Empty((await _table.ReadRows(0, 0)).Reminders);
    }

    private static ReminderEntry Entry(GrainId grain, string name, DateTime startAt, TimeSpan period) =>
        new() { GrainId = grain, ReminderName = name, StartAt = startAt, Period = period };
}
