using System.Data.Common;

namespace Crm.Grains.Storage;

/// <summary>
/// The database as an ADO.NET data source, for Orleans' ADO.NET providers: their connections get the same
/// per-connection settings as ours (SQLite durability, busy timeout), so both grain-storage providers
/// commit at the same durability level.
/// </summary>
public sealed class CrmDataSource(CrmDatabase database) : DbDataSource
{
    public override string ConnectionString => database.ConnectionString;

    protected override DbConnection CreateDbConnection() => database.CreateOrleansConnection();

    protected override DbConnection OpenDbConnection() => database.Open(pooled: true, forOrleans: true);

    protected override async ValueTask<DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken = default) =>
        await database.OpenAsync(forOrleans: true, cancellationToken);
}
