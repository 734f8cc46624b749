using System.Collections;

namespace Crm.Grains.Dedup;

/// <summary>
/// The holders of a key held by two or more customers at some point (<see cref="KeyHolders"/>). A common key (a brand
/// word, a switchboard number) has thousands in a big base, and every lead that shares it reserves, commits and looks
/// it up. So the holders are found by a hash once the list is long, and the sweep for reservations of dead creations
/// only runs when one of them can be that old; otherwise each lead would pay for the whole list, and an import would
/// slow down as the base grows.
/// </summary>
internal sealed class KeyHolderList : IReadOnlyList<KeyHolder>
{
    private KeyHolder[] _items = new KeyHolder[2];
    private int _count;
    private Dictionary<Guid, int>? _positions;
    private int _reserved;
    // No reservation is older than this (a lower bound: it is exact again after each sweep).
    private long _oldestReservationTicks = long.MaxValue;

    public int Count => _count;

    public KeyHolder this[int index] => (uint)index < (uint)_count ? _items[index] : throw new ArgumentOutOfRangeException(nameof(index));

    public bool Holds(Guid customerId) => IndexOf(customerId) >= 0;

    /// <summary>Takes over a holder as it was (the one holder a key had before its second).</summary>
    public void Adopt(KeyHolder holder)
    {
        if (holder.Committed)
        {
            Commit(holder.CustomerId);
        }
        else
        {
            Reserve(holder.CustomerId, new DateTimeOffset(holder.ReservedAtTicks, TimeSpan.Zero));
        }
    }

    /// <summary>Reserves the key for a creation in flight, unless the customer already holds it.</summary>
    public void Reserve(Guid customerId, DateTimeOffset now)
    {
        if (IndexOf(customerId) < 0)
        {
            var ticks = Math.Max(now.UtcTicks, 1);
            Add(new KeyHolder(customerId, ticks));
            _reserved++;
            _oldestReservationTicks = Math.Min(_oldestReservationTicks, ticks);
        }
    }

    /// <summary>Commits the customer's hold (its reservation, or a new one); false when it was committed already.</summary>
    public bool Commit(Guid customerId)
    {
        var at = IndexOf(customerId);
        if (at < 0)
        {
            Add(new KeyHolder(customerId, 0));
            return true;
        }

        if (_items[at].Committed)
        {
            return false;
        }

        _items[at] = new KeyHolder(customerId, 0);
        ReservationEnded();
        return true;
    }

    /// <summary>Drops the customer's reservation (and a committed hold too when asked); whether a committed hold went.</summary>
    public bool RemoveReportingCommitted(Guid customerId, bool committedToo)
    {
        var at = IndexOf(customerId);
        if (at < 0 || _items[at].Committed && !committedToo)
        {
            return false;
        }

        var committed = _items[at].Committed;
        RemoveAt(at);
        return committed;
    }

    /// <summary>
    /// Drops the reservations older than <paramref name="timeout"/> but the asker's own, telling <paramref name="dropped"/>
    /// of each: their creations died.
    /// </summary>
    public void DropStale(Guid asker, DateTimeOffset now, TimeSpan timeout, Action<Guid> dropped)
    {
        var cutoff = now.UtcTicks - timeout.Ticks;
        if (_reserved == 0 || _oldestReservationTicks >= cutoff)
        {
            return;
        }

        var oldest = long.MaxValue;
        for (var i = _count - 1; i >= 0; i--)
        {
            var holder = _items[i];
            if (holder.Committed)
            {
                continue;
            }

            if (holder.ReservedAtTicks < cutoff && holder.CustomerId != asker)
            {
                RemoveAt(i);
                dropped(holder.CustomerId);
            }
            else
            {
                oldest = Math.Min(oldest, holder.ReservedAtTicks);
            }
        }

        _oldestReservationTicks = oldest;
    }

    public IEnumerator<KeyHolder> GetEnumerator()
    {
        for (var i = 0; i < _count; i++)
        {
            yield return _items[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(Guid customerId)
    {
        if (_positions is not null)
        {
            return _positions.TryGetValue(customerId, out var at) ? at : -1;
        }

        for (var i = 0; i < _count; i++)
        {
            if (_items[i].CustomerId == customerId)
            {
                return i;
            }
        }

        return -1;
    }

    private void Add(KeyHolder holder)
    {
        if (_count == _items.Length)
        {
            Array.Resize(ref _items, _count * 2);
        }

        _items[_count] = holder;
        _positions?.Add(holder.CustomerId, _count);
        _count++;
        if (_positions is null && _count >= KeyHolders.IndexFrom)
        {
            _positions = new Dictionary<Guid, int>(_count * 2);
            for (var i = 0; i < _count; i++)
            {
                _positions[_items[i].CustomerId] = i;
            }
        }
    }

    // Until the list is indexed it keeps its order; once indexed (16 holders or more at some point) a removal moves the
    // last holder into the gap. Order only decides which holders come first when a lead has more candidates than it may
    // compare.
    private void RemoveAt(int at)
    {
        if (!_items[at].Committed)
        {
            ReservationEnded();
        }

        if (_positions is null)
        {
            Array.Copy(_items, at + 1, _items, at, _count - at - 1);
        }
        else
        {
            _positions.Remove(_items[at].CustomerId);
            if (at != _count - 1)
            {
                _items[at] = _items[_count - 1];
                _positions[_items[at].CustomerId] = at;
            }
        }

        _count--;
        _items[_count] = default;
    }

    private void ReservationEnded()
    {
        if (--_reserved == 0)
        {
            _oldestReservationTicks = long.MaxValue;
        }
    }
}
