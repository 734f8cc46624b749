namespace Crm.Tests.Infrastructure;

/// <summary>One real server on the PostgreSQL profile, on a database of its own.</summary>
public sealed class PostgresServerFixture : IAsyncLifetime
{
    private readonly TempDirectory _data = new("crm-pg-server");

    public PostgresDatabase Database { get; private set; } = null!;

    public ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await PostgresDatabase.CreateAsync();
        Server = await ServerProcess.StartAsync(_data.Path, Database.ServerSettings());
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Database.DisposeAsync();
        _data.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresServerCollection : ICollectionFixture<PostgresServerFixture>
{
    public const string Name = "server (PostgreSQL)";
}
