using Microsoft.Extensions.Logging;

namespace Crm.Grains.Storage;

/// <summary>
/// Whether the database is usable, as the last probe or failed write saw it. Logs once when it goes away and once when
/// it is back, however many requests fail in between.
/// </summary>
public sealed class DatabaseAvailability(TimeProvider clock, ILogger<DatabaseAvailability> logger)
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _downSince;
    private string? _reason;

    public bool IsAvailable => Volatile.Read(ref _isDown) == 0;

    private int _isDown;

    /// <summary>Since when it is down and why; null while it is up.</summary>
    public (DateTimeOffset Since, string Reason)? Outage
    {
        get
        {
            lock (_gate)
            {
                return _downSince is { } since ? (since, _reason!) : null;
            }
        }
    }

    public void ReportDown(Exception cause)
    {
        if (Volatile.Read(ref _isDown) == 1)
        {
            return;
        }

        lock (_gate)
        {
            if (_isDown == 1)
            {
                return;
            }

            _downSince = clock.GetUtcNow();
            _reason = DatabaseFailures.Describe(cause);
            Volatile.Write(ref _isDown, 1);
            logger.LogError("The database is unavailable ({Reason}); commands answer 503 until it is back", _reason);
        }
    }

    public void ReportUp()
    {
        if (Volatile.Read(ref _isDown) == 0)
        {
            return;
        }

        lock (_gate)
        {
            if (_isDown == 0)
            {
                return;
            }

            var down = clock.GetUtcNow() - _downSince!.Value;
            _downSince = null;
            _reason = null;
            Volatile.Write(ref _isDown, 0);
            logger.LogWarning("The database is available again after {Seconds:0.0} s", down.TotalSeconds);
        }
    }
}
