namespace Crm.Grains.Notifications;

/// <summary>The keys of an inbox's latest messages, to store a push routed twice only once; forgets the oldest first.</summary>
public sealed class RecentKeys(int capacity, IEnumerable<string> newestFirst)
{
    private readonly HashSet<string> _keys = newestFirst.Take(capacity).ToHashSet(StringComparer.Ordinal);
    private readonly Queue<string> _order = new(newestFirst.Take(capacity).Reverse());

    /// <summary>False if the key is among the recent ones.</summary>
    public bool Add(string key)
    {
        if (!_keys.Add(key))
        {
            return false;
        }

        _order.Enqueue(key);
        if (_order.Count > capacity)
        {
            _keys.Remove(_order.Dequeue());
        }

        return true;
    }
}
