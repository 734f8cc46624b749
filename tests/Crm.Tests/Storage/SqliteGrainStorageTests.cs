namespace Crm.Tests.Storage;

/// <summary>The grain-storage contract on a SQLite file (one file for the class).</summary>
public sealed class SqliteGrainStorageTests(SqliteGrainStorageTests.Database fixture) : GrainStorageContract(fixture.Db), IClassFixture<SqliteGrainStorageTests.Database>
{
    public sealed class Database : IAsyncLifetime
    {
        public TestDatabase Db { get; } = TestDatabase.CreateSqlite();

        public Task InitializeAsync() => Task.CompletedTask;

        public async Task DisposeAsync() => await Db.DisposeAsync();
    }
}
