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
/// <remarks>
/// A struct kept inside <see cref="ShardKeys"/>' dictionary and changed there through a reference: as a class it was an
/// object per key (ten million at a million customers), allocated as each key came, copied by the collector from
/// generation to generation, and traced by every full collection after.
/// Work on it through <c>ref</c> only: a copy's changes are lost.
/// </remarks>
public struct KeyHolders
{
    /// <summary>From this many holders on, positions are kept in a dictionary.</summary>
    internal const int IndexFrom = 16;

    // The holder while there is at most one (CustomerId empty: none), and the list once a second came.
    private KeyHolder _one;
    private KeyHolderList? _many;

    public readonly int Count => _many?.Count ?? (_one.CustomerId == Guid.Empty ? 0 : 1);

    public readonly KeyHolder this[int index] =>
        _many is { } many ? many[index] : index == 0 && Count == 1 ? _one : throw new ArgumentOutOfRangeException(nameof(index));

    public readonly bool Holds(Guid customerId) =>
        _many is { } many ? many.Holds(customerId) : customerId != Guid.Empty && _one.CustomerId == customerId;

    /// <summary>The holders as a list: the list itself once there are two or more, else a list of the one (or none).</summary>
    public readonly IReadOnlyList<KeyHolder> ToList() => _many is { } many ? many : Count == 0 ? [] : new[] { _one };

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
