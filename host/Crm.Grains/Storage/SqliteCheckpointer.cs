using Microsoft.Extensions.Logging;

namespace Crm.Grains.Storage;

/// <summary>
/// SQLite (WAL): copies committed pages from the WAL back into the database file on a thread and connection of
/// its own, so that the group-commit writer, which every durable write waits for, does not pay for checkpoints
/// (reading and rewriting pages, and the file syncs that synchronous=NORMAL does at each checkpoint). A passive
/// checkpoint never blocks the writer or readers. The writer keeps SQLite's automatic checkpoint at a higher mark
/// (<see cref="WriterAutoCheckpointPages"/>) as a backstop that bounds the WAL if this thread falls behind.
/// </summary>
internal sealed class SqliteCheckpointer : IDisposable
{
    /// <summary>The writer's own automatic checkpoint, in WAL pages (SQLite's default is 1,000).</summary>
    public const int WriterAutoCheckpointPages = 10_000;

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly CrmDatabase _database;
    private readonly ILogger _logger;
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _thread;

    public SqliteCheckpointer(CrmDatabase database, ILogger logger)
    {
        _database = database;
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = "CRM SQLite checkpointer" };
        _thread.Start();
    }

    private void Run()
    {
        System.Data.Common.DbConnection? connection = null;
        while (!_stop.Wait(Interval))
        {
            try
            {
                connection ??= _database.Open();
                using var checkpoint = connection.CreateCommand();
                checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
                checkpoint.ExecuteNonQuery();
            }
            catch (Exception ex)
            {
                // The writer's backstop checkpoint still bounds the WAL; try again on a fresh connection.
                _logger.LogWarning(ex, "Background WAL checkpoint failed; retrying in {Interval}", Interval);
                connection?.Dispose();
                connection = null;
            }
        }

        connection?.Dispose();
    }

    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
        _stop.Dispose();
    }
}
