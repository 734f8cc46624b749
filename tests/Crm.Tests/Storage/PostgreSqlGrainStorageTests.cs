namespace Crm.Tests.Storage;

/// <summary>The grain-storage contract on PostgreSQL (a fresh database for the class).</summary>
public sealed class PostgreSqlGrainStorageTests(PostgreSqlGrainStorageTests.Database fixture) : GrainStorageContract(fixture.Db), IClassFixture<PostgreSqlGrainStorageTests.Database>
{
    public sealed class Database : IAsyncLifetime
    {
        public TestDatabase Db { get; } = TestDatabase.CreatePostgreSql();

        public Task InitializeAsync() => Task.CompletedTask;

        public async Task DisposeAsync() => await Db.DisposeAsync();
    }
}
