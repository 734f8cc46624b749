namespace Crm.Tests.Infrastructure;

/// <summary>One real server on the embedded SQLite profile, shared by the tests of a collection.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private readonly TempDirectory _data = new("crm-server");

    public ServerProcess Server { get; private set; } = null!;

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
