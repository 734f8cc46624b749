namespace Crm.Tests.Infrastructure;

/// <summary>One real server on the embedded SQLite profile, shared by the tests of a collection.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private readonly TempDirectory _data = new("crm-server");

    private readonly Lazy<Task<TestWorld>> _sharedWorld;

    public ServerFixture() => _sharedWorld = new(() => TestWorld.CreateAsync(Server));

    public ServerProcess Server { get; private set; } = null!;

    /// <summary>One world for tests that only read it or add their own leads: saves creating users per test.</summary>
    public Task<TestWorld> SharedWorldAsync() => _sharedWorld.Value;

    public async Task InitializeAsync() => Server = await ServerProcess.StartAsync(_data.Path);

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _data.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "server (SQLite)";
}
