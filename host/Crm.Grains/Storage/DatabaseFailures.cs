using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;
using Orleans.Storage;

namespace Crm.Grains.Storage;

/// <summary>
/// Tells a database outage (the server or file cannot be used right now; the same request may succeed later) from
/// other failures (a bad statement, a constraint, a version conflict), on both providers.
/// </summary>
public static class DatabaseFailures
{
    // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN.
    private static readonly HashSet<int> SqliteOutageCodes = [5, 6, 8, 10, 13, 14];

    /// <summary>True when <paramref name="exception"/> or one of its causes says the database is unreachable or unusable for now.</summary>
    public static bool IsUnavailable(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case DatabaseUnavailableException:
                case SqliteException sqlite when SqliteOutageCodes.Contains(sqlite.SqliteErrorCode & 0xFF):
                case PostgresException pg when IsOutage(pg.SqlState):
                case NpgsqlException npgsql when npgsql is not PostgresException
                    && (npgsql.IsTransient || e.InnerException is SocketException or IOException or TimeoutException or EndOfStreamException):
                case SocketException:
                case TimeoutException:
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Any(IsUnavailable):
                    return true;
            }
        }

        return false;
    }

    /// <summary>True when the failure came from storage at all (an outage, any driver error, an Orleans storage conflict).</summary>
    public static bool IsStorageFailure(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is System.Data.Common.DbException or DatabaseUnavailableException or InconsistentStateException || IsUnavailable(e))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The innermost driver message, short enough for one log line.</summary>
    public static string Describe(Exception exception)
    {
        var e = exception;
        while (e.InnerException is not null && e is not System.Data.Common.DbException)
        {
            e = e.InnerException;
        }

        return $"{e.GetType().Name}: {e.Message}";
    }

    // 08: connection exceptions; 57P01-57P03: admin shutdown, crash shutdown, cannot connect now; 53: out of resources;
    // 40001/40P01 are not outages (serialization, deadlock) and stay errors of the write.
    private static bool IsOutage(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal) || sqlState is "57P01" or "57P02" or "57P03" || sqlState.StartsWith("53", StringComparison.Ordinal);
}
