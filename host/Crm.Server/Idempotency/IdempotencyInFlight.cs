using System.Collections.Concurrent;

namespace Crm.Server.Idempotency;

/// <summary>The keys whose requests run in this process now, and this process's owner id (new at every start).</summary>
public sealed class IdempotencyInFlight
{
    private readonly ConcurrentDictionary<(string Caller, string Key), byte> _held = new();

    public string Owner { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Holds the key for one request of this process; null when another request of this process holds it.</summary>
    public IDisposable? TryHold(string callerId, string key) =>
        _held.TryAdd((callerId, key), 0) ? new Release(() => _held.TryRemove((callerId, key), out _)) : null;

    private sealed class Release(Action release) : IDisposable
    {
        public void Dispose() => release();
    }
}
