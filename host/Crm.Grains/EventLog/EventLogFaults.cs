using System.Collections.Concurrent;

namespace Crm.Grains.EventLog;

/// <summary>
/// Makes the commits of chosen customers fail inside the transaction, as a database error would: the test hook that
/// proves a failed write leaves the grain as it was. Empty (and free) unless a test arms it.
/// </summary>
public sealed class EventLogFaults
{
    private readonly ConcurrentDictionary<string, bool> _failing = new();

    public void FailCommitsOf(Guid customerId) => _failing[customerId.ToString()] = true;

    public void Heal(Guid customerId) => _failing.TryRemove(customerId.ToString(), out _);

    internal void ThrowIfArmed(string customerId)
    {
        if (!_failing.IsEmpty && _failing.ContainsKey(customerId))
        {
            throw new IOException($"Injected failure of the commit of customer '{customerId}'.");
        }
    }
}
