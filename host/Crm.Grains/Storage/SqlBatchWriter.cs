using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Crm.Grains.Storage;

/// <summary>
/// One writer per database that commits many small writes in one transaction (group commit) and
/// completes each caller only after its transaction committed. Grain state and read-model rows both go
/// through it. It runs on a dedicated thread, so no database work ever runs on an Orleans scheduler or
/// thread-pool thread, however long a commit takes.
/// </summary>
public sealed class SqlBatchWriter : IAsyncDisposable
{
    /// <summary>
    /// Enough to amortise a commit; small enough that the front of a backlog is released after a fraction of
    /// a millisecond instead of waiting for one long transaction (512 gave a worse p99 at 1,000 in flight).
    /// </summary>
    private const int MaxBatch = 128;

    /// <summary>
    /// When writes arrive together (a batch already holds more than one), the writer waits up to this long for
    /// <see cref="LingerTarget"/> of them: a commit costs the one writer more than a write does, so fuller
    /// batches leave more of the machine to the grains (at 1,000 in flight, ~30 writes per commit instead of ~7,
    /// and a lower p99). A lone write never waits.
    /// </summary>
    private static readonly long LingerTicks = 50 * Stopwatch.Frequency / 1_000_000;

    private const int LingerTarget = 32;

    private readonly CrmDatabase _database;
    private readonly ILogger<SqlBatchWriter> _logger;

    // Producers wake the writer themselves (synchronous continuations): a wake-up queued to the thread pool
    // would wait there behind the very grain turns that are waiting for this writer.
    private readonly Channel<Work> _queue = Channel.CreateUnbounded<Work>(new() { SingleReader = true, AllowSynchronousContinuations = true });
    private readonly Task _loop;
    private readonly SqliteCheckpointer? _checkpointer;
    // The writer's connection with its prepared statements (null until the first write, and after it broke).
    private PreparedStatements? _connection;
    private long _commits;
    private long _committedWrites;
    private long _busyTicks;

    private readonly DatabaseAvailability? _availability;
    private readonly long _queueTimeoutTicks;

    // The last batch failed because the database was unavailable, and none has committed since: only then do queued
    // writes expire (see FailExpired). Written and read by the writer's thread only.
    private bool _databaseFailing;

    public SqlBatchWriter(CrmDatabase database, ILogger<SqlBatchWriter> logger, DatabaseAvailability? availability = null)
    {
        _database = database;
        _logger = logger;
        _availability = availability;
        _queueTimeoutTicks = (long)(database.Timeout.TotalSeconds * Stopwatch.Frequency);
        _checkpointer = database.Provider == DatabaseProvider.Sqlite ? new SqliteCheckpointer(database, logger) : null;
        _loop = Task.Factory.StartNew(Run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Transactions committed so far; with <see cref="CommittedWrites"/> it tells how well writes are grouped.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Writes committed so far.</summary>
    public long CommittedWrites => Interlocked.Read(ref _committedWrites);

    /// <summary>Time the writer spent in the database (executing and committing): against wall time, how busy it is.</summary>
    public TimeSpan BusyTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _busyTicks));

    /// <summary>Queues a write; the task completes when it is durable (or faults with the write's error).</summary>
    public Task WriteAsync(Action<DbConnection, DbTransaction> write) => WriteAsync(Statements.Instance, write);

    /// <summary>
    /// Queues one item of a bulk kind; consecutive items of the same kind run together. The task completes
    /// with the item's result once the transaction that carried it committed.
    /// </summary>
    public Task<TResult> WriteAsync<TItem, TResult>(ISqlBulkWrite<TItem, TResult> kind, TItem item)
    {
        var work = new Work<TItem, TResult>(kind, item);
        if (!_queue.Writer.TryWrite(work))
        {
            throw new ObjectDisposedException(nameof(SqlBatchWriter));
        }

        return work.Done.Task;
    }

    private void Run()
    {
        var batch = new List<Work>(MaxBatch);
        while (WaitForWork())
        {
            CommitQueued(batch);
        }

        DropConnection();
    }

    /// <summary>Commits the writes queued so far (up to <see cref="MaxBatch"/>) and completes their callers.</summary>
    private void CommitQueued(List<Work> batch)
    {
        batch.Clear();
        while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var work))
        {
            batch.Add(work);
        }

        if (batch.Count > 1 && batch.Count < LingerTarget)
        {
            var until = Stopwatch.GetTimestamp() + LingerTicks;
            var spinner = new SpinWait();
            while (batch.Count < LingerTarget && Stopwatch.GetTimestamp() < until)
            {
                if (_queue.Reader.TryRead(out var more))
                {
                    batch.Add(more);
                }
                else
                {
                    spinner.SpinOnce(sleep1Threshold: -1);
                }
            }
        }

        var started = Stopwatch.GetTimestamp();
        FailExpired(batch, started);
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            _connection ??= OpenWriterConnection();
            Commit(_connection, batch, 0, batch.Count);
        }
        catch (Exception ex) when (DatabaseFailures.IsUnavailable(ex))
        {
            // The connection may only have been broken by a restart that is already over: one more try on a new one.
            // If the database is still away, every write of the batch fails unwritten (no one-by-one retries, each
            // of which would wait for the database again).
            DropConnection();
            try
            {
                if (_database.Provider == DatabaseProvider.Sqlite)
                {
                    throw; // a file that is locked or read-only stays so for longer than a retry
                }

                _connection = OpenWriterConnection();
                Commit(_connection, batch, 0, batch.Count);
            }
            catch (Exception again)
            {
                DropConnection();
                if (DatabaseFailures.IsUnavailable(again))
                {
                    _databaseFailing = true;
                    _logger.LogDebug(again, "Group commit of {Count} writes failed: the database is unavailable", batch.Count);
                    _availability?.ReportDown(again);
                    var outage = DatabaseUnavailableException.From(again);
                    batch.ForEach(work => work.Error ??= outage);
                }
                else
                {
                    CommitOneByOne(batch, again);
                }
            }
        }
        catch (Exception ex)
        {
            DropConnection();
            CommitOneByOne(batch, ex);
        }

        Interlocked.Add(ref _busyTicks, Stopwatch.GetTimestamp() - started);

        // Callers resume off this thread: each continuation is queued to its own scheduler (the grain's
        // activation, or the thread pool). Completing them here rather than from one thread-pool item keeps
        // the release of a whole batch from waiting in the thread pool's queue.
        foreach (var work in batch)
        {
            work.Finish();
        }
    }

    /// <summary>
    /// A broken connection is dropped; the batch is retried one write at a time so that one bad write fails alone and
    /// the others still commit.
    /// </summary>
    private void CommitOneByOne(List<Work> batch, Exception cause)
    {
        _logger.LogWarning(cause, "Group commit of {Count} writes failed; retrying them one by one", batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i].Error is not null)
            {
                continue;
            }

            try
            {
                _connection ??= OpenWriterConnection();
                Commit(_connection, batch, i, 1);
            }
            catch (Exception single)
            {
                _databaseFailing |= DatabaseFailures.IsUnavailable(single);
                batch[i].Error = DatabaseFailures.IsUnavailable(single) ? DatabaseUnavailableException.From(single) : single;
                DropConnection();
            }
        }
    }

    /// <summary>
    /// While the database is away, writes that waited in the queue longer than its timeout fail without being run: their
    /// callers are answered in bounded time, and nothing of them is written later. While it takes writes, a backlog is slow,
    /// not unavailable (failing its writes after the same 5 s answered 503 with the database up), so a write waits up to
    /// <see cref="BacklogTimeouts"/> times as long: still under Orleans' 30 s call timeout by default, so a caller hears that
    /// its write was not run rather than giving up on one that commits later (a retry would then run it twice).
    /// </summary>
    private void FailExpired(List<Work> batch, long now)
    {
        var limit = _databaseFailing ? _queueTimeoutTicks : BacklogTimeouts * _queueTimeoutTicks;
        var expired = batch.RemoveAll(work =>
        {
            if (now - work.Queued <= limit)
            {
                return false;
            }

            work.Error = new DatabaseUnavailableException(
                $"The database did not take the write within {(double)limit / Stopwatch.Frequency:0.#} s; nothing was written.");
            work.Finish();
            return true;
        });
        if (expired > 0)
        {
            _availability?.ReportDown(new TimeoutException($"{expired} writes waited longer than {(double)limit / Stopwatch.Frequency:0.#} s"));
        }
    }

    /// <summary>How many database timeouts a write may wait behind others while the database takes writes.</summary>
    private const int BacklogTimeouts = 4;

    /// <summary>
    /// Finalizes the connection's statements, then closes it. Never throws: it runs in the writer's error paths, and an
    /// exception there would end the writer's loop, leaving every later write waiting.
    /// </summary>
    private void DropConnection()
    {
        if (_connection is not { } open)
        {
            return;
        }

        _connection = null;
        try
        {
            open.Dispose();
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "The writer's statements could not all be finalized");
        }

        try
        {
            open.Connection.Dispose();
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "The writer's connection could not be closed cleanly");
        }
    }

    /// <summary>The SQLite writer connection's page cache, in KB (SQLite's default is 2,000).</summary>
    internal const int WriterCacheKb = 128 * 1024;

    private PreparedStatements OpenWriterConnection()
    {
        var connection = _database.OpenWriter();
        if (_checkpointer is not null)
        {
            // Checkpoints run on the checkpointer's thread; the writer's own is only the backstop. The writer's page cache is
            // larger than SQLite's 2 MB: every commit walks the indexes it writes to, and a 1M-row import read 16 GB of pages
            // back from the file with the default (6.5 GB with 128 MB; 3.6 GB once flags stopped rewriting the list row's index
            // entries). SQLite fills it only as pages are used.
            using var pragma = connection.CreateCommand();
            pragma.CommandText = $"PRAGMA wal_autocheckpoint={SqliteCheckpointer.WriterAutoCheckpointPages}; PRAGMA cache_size=-{WriterCacheKb}";
            pragma.ExecuteNonQuery();
        }

        return new PreparedStatements(connection);
    }

    /// <summary>Blocks this dedicated thread until work is queued; false once the writer is disposed and drained.</summary>
    private bool WaitForWork()
    {
        var wait = _queue.Reader.WaitToReadAsync();
        return wait.IsCompleted ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
    }

    private void Commit(PreparedStatements sql, List<Work> batch, int start, int count)
    {
        var end = start + count;
        using (var transaction = sql.Connection.BeginTransaction())
        {
            // Runs of the same kind go together, in arrival order.
            for (var first = start; first < end;)
            {
                var last = first + 1;
                while (last < end && ReferenceEquals(batch[last].Kind, batch[first].Kind))
                {
                    last++;
                }

                batch[first].ExecuteRun(sql, transaction, batch, first, last - first);
                first = last;
            }

            // A kind flushes its own statements; whatever one left queued (PostgreSQL) belongs in this transaction.
            sql.Flush(transaction);

            transaction.Commit();
        }

        _databaseFailing = false;
        Interlocked.Increment(ref _commits);
        Interlocked.Add(ref _committedWrites, count);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        _checkpointer?.Dispose();
    }

    private abstract class Work
    {
        /// <summary>When it was queued: a write that waited longer than the database's timeout fails unwritten.</summary>
        public long Queued { get; } = Stopwatch.GetTimestamp();

        public abstract object Kind { get; }

        /// <summary>Runs batch[first .. first+count), all of this work's kind, and keeps their results.</summary>
        public abstract void ExecuteRun(PreparedStatements sql, DbTransaction transaction, List<Work> batch, int first, int count);

        /// <summary>Why the write failed; null once it committed.</summary>
        public Exception? Error { get; set; }

        /// <summary>Completes the caller's task with the result, or the error.</summary>
        public abstract void Finish();
    }

    private sealed class Work<TItem, TResult>(ISqlBulkWrite<TItem, TResult> kind, TItem item) : Work
    {
        private TResult _result = default!;

        // Completed on the writer's thread, so continuations must never run inline there.
        public TaskCompletionSource<TResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override object Kind => kind;

        public override void ExecuteRun(PreparedStatements sql, DbTransaction transaction, List<Work> batch, int first, int count)
        {
            var items = new TItem[count];
            for (var i = 0; i < count; i++)
            {
                items[i] = ((Work<TItem, TResult>)batch[first + i]).Item;
            }

            var results = kind.Execute(sql, transaction, items);
            if (results.Length != count)
            {
                throw new InvalidOperationException($"{kind.GetType().Name} returned {results.Length} results for {count} writes.");
            }

            for (var i = 0; i < count; i++)
            {
                ((Work<TItem, TResult>)batch[first + i])._result = results[i];
            }
        }

        public override void Finish()
        {
            if (Error is null)
            {
                Done.TrySetResult(_result);
            }
            else
            {
                Done.TrySetException(Error);
            }
        }

        private TItem Item => item;
    }

    /// <summary>Plain writes: each runs its own statements.</summary>
    private sealed class Statements : ISqlBulkWrite<Action<DbConnection, DbTransaction>, bool>
    {
        public static readonly Statements Instance = new();

        public bool[] Execute(PreparedStatements sql, DbTransaction transaction, IReadOnlyList<Action<DbConnection, DbTransaction>> items)
        {
            foreach (var write in items)
            {
                write(sql.Connection, transaction);
            }

            return new bool[items.Count];
        }
    }
}
