namespace Crm.Grains.Storage;

/// <summary>The two storage profiles: the embedded SQLite file (default) and a PostgreSQL cluster.</summary>
public enum DatabaseProvider { Sqlite, PostgreSql }
