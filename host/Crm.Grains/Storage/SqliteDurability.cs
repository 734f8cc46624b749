namespace Crm.Grains.Storage;

/// <summary>
/// How hard SQLite (in WAL mode) pushes a commit to disk before it returns, i.e. before a caller is told
/// that its write is stored.
/// </summary>
public enum SqliteDurability
{
    /// <summary>
    /// <c>PRAGMA synchronous=NORMAL</c>: a commit is in the operating system's file cache when it returns; the
    /// WAL is synced at checkpoints. Survives a crash or kill of the process, not a power loss or OS crash.
    /// </summary>
    Normal,

    /// <summary><c>PRAGMA synchronous=FULL</c>: every commit is synced to disk; survives a power loss too.</summary>
    Full,
}
