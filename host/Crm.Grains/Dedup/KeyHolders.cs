using System.Collections;

namespace Crm.Grains.Dedup;

/// <summary>
/// A customer holding a key: stored (committed, <paramref name="ReservedAtTicks"/> 0), or reserved by a creation in
/// flight since a time (UTC ticks).
/// </summary>
public readonly record struct KeyHolder(Guid CustomerId, long ReservedAtTicks)
{
    public bool Committed => ReservedAtTicks == 0;
}

/// <summary>
/// The customers that hold one dedup key. Most keys have one holder, and a million customers carry some ten million
/// keys, so one holder is kept in place; a list (<see cref="KeyHolderList"/>) is made only for a second one.
/// </summary>
public sealed class KeyHolders : IReadOnlyList<KeyHolder>
{
    /// <summary>From this many holders on, positions are kept in a dictionary.</summary>
    internal const int IndexFrom = 16;

    // The holder while there is at most one (CustomerId empty: none), and the list once a second came.
    private KeyHolder _one;
    private KeyHolderList? _many;

    public int Count => _many?.Count ?? (_one.CustomerId == Guid.Empty ? 0 : 1);

    public KeyHolder this[int index] =>
        _many is { } many ? many[index] : index == 0 && Count == 1 ? _one : throw new ArgumentOutOfRangeException(nameof(index));

    public bool Holds(Guid customerId) =>
        _many is { } many ? many.Holds(customerId) : customerId != Guid.Empty && _one.CustomerId == customerId;

    /// <summary>Reserves the key for a creation in flight, unless the customer already holds it.</summary>
    public void Reserve(Guid customerId, DateTimeOffset now)
    {
        if (ListFor(customerId) is { } many)
        {
            many.Reserve(customerId, now);
        }
        else if (_one.CustomerId == Guid.Empty)
        {
            _one = new KeyHolder(customerId, Math.Max(now.UtcTicks, 1));
        }
    }

    /// <summary>Commits the customer's hold (its reservation, or a new one); false when it was committed already.</summary>
    public bool Commit(Guid customerId)
    {
        if (ListFor(customerId) is { } many)
        {
            return many.Commit(customerId);
        }

        if (_one.CustomerId != Guid.Empty && _one.Committed)
        {
            return false;
        }

        _one = new KeyHolder(customerId, 0);
        return true;
    }

    /// <summary>Drops the customer's reservation (and a committed hold too when asked); whether a committed hold went.</summary>
    public bool RemoveReportingCommitted(Guid customerId, bool committedToo)
    {
        if (_many is { } many)
        {
            return many.RemoveReportingCommitted(customerId, committedToo);
        }

        if (!Holds(customerId) || _one.Committed && !committedToo)
        {
            return false;
        }

        var committed = _one.Committed;
        _one = default;
        return committed;
    }

    /// <summary>
    /// Drops the reservations older than <paramref name="timeout"/> but the asker's own, telling <paramref name="dropped"/>
    /// of each: their creations died.
    /// </summary>
    public void DropStale(Guid asker, DateTimeOffset now, TimeSpan timeout, Action<Guid> dropped)
    {
        if (_many is { } many)
        {
            many.DropStale(asker, now, timeout, dropped);
        }
        else if (_one.CustomerId != Guid.Empty && !_one.Committed && _one.ReservedAtTicks < now.UtcTicks - timeout.Ticks && _one.CustomerId != asker)
        {
            var gone = _one.CustomerId;
            _one = default;
            dropped(gone);
        }
    }

    public IEnumerator<KeyHolder> GetEnumerator()
    {
        if (_many is { } many)
        {
            return many.GetEnumerator();
        }

        return Count == 0 ? Enumerable.Empty<KeyHolder>().GetEnumerator() : Enumerable.Repeat(_one, 1).GetEnumerator();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The list to act on: the one there is, or a new one when a second customer comes; null while one slot does.</summary>
    private KeyHolderList? ListFor(Guid customerId)
    {
        if (customerId == Guid.Empty)
        {
            throw new ArgumentException("A key's holder needs a customer id.", nameof(customerId));
        }

        if (_many is not null || _one.CustomerId == Guid.Empty || _one.CustomerId == customerId)
        {
            return _many;
        }

        _many = new KeyHolderList();
        _many.Adopt(_one);
        _one = default;
        return _many;
    }
}
