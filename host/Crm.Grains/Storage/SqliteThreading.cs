using SQLitePCL;

namespace Crm.Grains.Storage;

/// <summary>
/// SQLite's process-wide threading settings, set once before the first connection opens. An ADO.NET
/// connection is only ever used by one thread at a time, so SQLite's own locking of each connection on every
/// call ("serialized" mode) and its global lock around every allocation (memory statistics) are pure cost:
/// on the group-commit writer they were a seventh of the time spent per write.
/// </summary>
public static class SqliteThreading
{
    private static readonly Lazy<bool> Applied = new(Apply);

    /// <summary>True when the settings took effect; false when SQLite was already in use in this process (it then keeps its defaults).</summary>
    public static bool EnsureConfigured() => Applied.Value;

    private static bool Apply()
    {
        Batteries_V2.Init();
        return raw.sqlite3_config(raw.SQLITE_CONFIG_MULTITHREAD) == raw.SQLITE_OK
               & raw.sqlite3_config(raw.SQLITE_CONFIG_MEMSTATUS, 0) == raw.SQLITE_OK;
    }
}
