using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Crm.Grains.Storage;

/// <summary>
/// One writer per database that commits many small writes in one transaction (group commit) and
/// completes each caller only after its transaction committed. Runs on its own long-running task, so
/// no database work ever runs on an Orleans scheduler thread.
/// </summary>
public sealed class SqlBatchWriter : IAsyncDisposable
{
    private const int MaxBatch = 512;

    private readonly CrmDatabase _database;
    private readonly ILogger<SqlBatchWriter> _logger;
    private readonly Channel<Work> _queue = Channel.CreateUnbounded<Work>(new() { SingleReader = true });
    private readonly Task _loop;

    public SqlBatchWriter(CrmDatabase database, ILogger<SqlBatchWriter> logger)
    {
        _database = database;
        _logger = logger;
        _loop = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Queues a write; the task completes when it is durable (or faults with the write's error).</summary>
    public Task WriteAsync(Action<DbConnection, DbTransaction> write)
    {
        var work = new Work(write, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(work))
        {
            throw new ObjectDisposedException(nameof(SqlBatchWriter));
        }

        return work.Done.Task;
    }

    private async Task RunAsync()
    {
        var batch = new List<Work>(MaxBatch);
        DbConnection? connection = null;
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var work))
            {
                batch.Add(work);
            }

            try
            {
                connection ??= await _database.OpenAsync();
                Commit(connection, batch);
            }
            catch (Exception ex)
            {
                // A broken connection is dropped; the batch is retried one write at a time so that one bad
                // write fails alone and the others still commit.
                _logger.LogWarning(ex, "Group commit of {Count} writes failed; retrying them one by one", batch.Count);
                connection?.Dispose();
                connection = null;
                foreach (var work in batch)
                {
                    try
                    {
                        connection ??= await _database.OpenAsync();
                        Commit(connection, [work]);
                    }
                    catch (Exception single)
                    {
                        work.Done.TrySetException(single);
                        connection?.Dispose();
                        connection = null;
                    }
                }
            }
        }

        connection?.Dispose();
    }

    private static void Commit(DbConnection connection, List<Work> batch)
    {
        using (var transaction = connection.BeginTransaction())
        {
            foreach (var work in batch)
            {
                work.Write(connection, transaction);
            }

            transaction.Commit();
        }

        foreach (var work in batch)
        {
            work.Done.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private sealed record Work(Action<DbConnection, DbTransaction> Write, TaskCompletionSource Done);
}
