using Crm.Tests.Infrastructure;
using Crm.Tests.Plugins;

namespace Crm.Tests.Dedup;

/// <summary>
/// A real server (SQLite; <see cref="PostgresDedupOutageFixture"/>: PostgreSQL) with the standard plugin and the faulty test plugin, whose <c>outage-keys</c> strategy is down while
/// <see cref="Outage"/> exists (it throws, or hangs when the file says <c>hang</c>). Strategy calls get a 2 s budget (a cold first call fits);
/// the retrier looks every 200 ms and backs off to at most 1 s, so a recovery shows within a few seconds.
/// </summary>
public class DedupOutageFixture : IAsyncLifetime
{
    private readonly TempDirectory _data = new("crm-dedup-outage");
    private readonly TempDirectory _switch = new("crm-dedup-switch");

    public PluginDirectory Plugins { get; } = new PluginDirectory().WithStandard().WithTestPlugin("Crm.TestPlugins.Faulty");

    public ServerProcess Server { get; private set; } = null!;

    /// <summary>The file whose presence takes <c>outage-keys</c> down.</summary>
    public string Outage => Path.Combine(_switch.Path, "outage");

    public void Down(bool hang = false) => File.WriteAllText(Outage, hang ? "hang" : "throw");

    public void Up() => File.Delete(Outage);

    /// <summary>The database the server runs on: its embedded SQLite file unless a subclass says otherwise.</summary>
    protected virtual Task<Dictionary<string, string>> DatabaseSettingsAsync() => Task.FromResult(new Dictionary<string, string>());

    public async Task InitializeAsync() => Server = await ServerProcess.StartAsync(_data.Path, new Dictionary<string, string>(await DatabaseSettingsAsync())
    {
        ["Crm__Plugins__Directory"] = Plugins.Path,
        ["Crm__Plugins__CallTimeoutMilliseconds"] = "2000",
        ["Crm__Dedup__PendingRetryEvery"] = "00:00:00.200",
        ["Crm__Dedup__PendingBackoffMax"] = "00:00:01",
        ["Crm__Dedup__ReindexBatch"] = "20",
        ["CRM_TEST_DEDUP_OUTAGE_FILE"] = Outage,
    });

    public virtual async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Plugins.Dispose();
        _switch.Dispose();
        _data.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class DedupOutageCollection : ICollectionFixture<DedupOutageFixture>
{
    public const string Name = "server with a dedup strategy that goes down";
}

/// <summary>The same server on the PostgreSQL profile, on a database of its own.</summary>
public sealed class PostgresDedupOutageFixture : DedupOutageFixture
{
    private PostgresDatabase? _database;

    protected override async Task<Dictionary<string, string>> DatabaseSettingsAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        return _database.ServerSettings();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresDedupOutageCollection : ICollectionFixture<PostgresDedupOutageFixture>
{
    public const string Name = "server (PostgreSQL) with a dedup strategy that goes down";
}
