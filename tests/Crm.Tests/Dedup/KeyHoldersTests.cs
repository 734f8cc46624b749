using Crm.Grains.Dedup;

namespace Crm.Tests.Dedup;

public sealed class KeyHoldersTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Theory]
    [InlineData(3)] // a short list, searched in place
    [InlineData(KeyHolders.IndexFrom * 4)] // a common key, searched through its dictionary
    public void Reserve_commit_and_remove_keep_each_holder_once_with_its_state(int count)
    {
        var ids = Enumerable.Range(1, count).Select(Id).ToList();
        var holders = new KeyHolders();
        foreach (var id in ids)
        {
            holders.Reserve(id, Start);
            holders.Reserve(id, Start.AddSeconds(1)); // a second reservation of the same customer changes nothing
        }

        Assert.Equal(count, holders.Count);
        Assert.True(holders.Commit(ids[0]));
        Assert.False(holders.Commit(ids[0])); // already committed: nothing new to store
        Assert.True(holders.Commit(Id(10_000))); // a committed hold without a reservation (a rebuild)

        Assert.False(holders.RemoveReportingCommitted(ids[0], committedToo: false)); // a release leaves the stored hold
        Assert.True(holders.Holds(ids[0]));
        Assert.False(holders.RemoveReportingCommitted(ids[1], committedToo: false)); // the reservation goes; it was not committed
        Assert.False(holders.Holds(ids[1]));
        Assert.True(holders.RemoveReportingCommitted(ids[0], committedToo: true)); // a merge takes the stored hold out

        var expected = ids.Skip(2).Append(Id(10_000)).ToHashSet();
        Assert.Equal(expected, holders.ToList().Select(h => h.CustomerId).ToHashSet());
        Assert.Equal(expected.Count, holders.Count);
        Assert.All(holders.ToList(), h => Assert.Equal(h.CustomerId == Id(10_000), h.Committed));
        Assert.All(expected, id => Assert.True(holders.Holds(id)));
    }

    [Fact]
    public void Removing_from_a_long_list_keeps_every_other_holder_findable()
    {
        var holders = new KeyHolders();
        var ids = Enumerable.Range(1, 100).Select(Id).ToList();
        ids.ForEach(id => holders.Commit(id));

        foreach (var id in ids.Where((_, i) => i % 3 == 0))
        {
            Assert.True(holders.RemoveReportingCommitted(id, committedToo: true));
        }

        Assert.Equal(ids.Where((_, i) => i % 3 != 0).Order(), holders.ToList().Select(h => h.CustomerId).Order());
        Assert.All(ids, (id, i) => Assert.Equal(i % 3 != 0, holders.Holds(id)));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(KeyHolders.IndexFrom * 4)]
    public void Only_reservations_older_than_the_timeout_are_dropped_and_never_the_askers_own(int committed)
    {
        var holders = new KeyHolders();
        for (var i = 1; i <= committed; i++)
        {
            holders.Commit(Id(i));
        }

        holders.Reserve(Id(501), Start); // a creation that died
        holders.Reserve(Id(502), Start); // the asker's own, as old
        holders.Reserve(Id(503), Start.AddMinutes(1)); // in flight

        var dropped = new List<Guid>();
        holders.DropStale(Id(502), Start.AddMinutes(2), Timeout, dropped.Add);
        Assert.Empty(dropped); // exactly at the timeout: not yet

        holders.DropStale(Id(502), Start.AddMinutes(2).AddSeconds(1), Timeout, dropped.Add);
        Assert.Equal([Id(501)], dropped);
        Assert.Equal(committed + 2, holders.Count);

        holders.DropStale(Guid.Empty, Start.AddMinutes(3).AddSeconds(1), Timeout, dropped.Add);
        Assert.Equal([Id(501), Id(502), Id(503)], dropped.Order().ToList());
        Assert.Equal(committed, holders.Count);
        Assert.All(holders.ToList(), h => Assert.True(h.Committed));
    }

    [Fact]
    public void A_reservation_made_after_a_sweep_is_still_dropped_when_it_goes_stale()
    {
        var holders = new KeyHolders();
        holders.Reserve(Id(1), Start);
        holders.Commit(Id(1));
        var dropped = new List<Guid>();
        holders.DropStale(Guid.Empty, Start.AddMinutes(10), Timeout, dropped.Add); // nothing reserved: nothing to sweep

        holders.Reserve(Id(2), Start.AddMinutes(10));
        holders.DropStale(Guid.Empty, Start.AddMinutes(11), Timeout, dropped.Add);
        Assert.Empty(dropped);
        holders.DropStale(Guid.Empty, Start.AddMinutes(13), Timeout, dropped.Add);
        Assert.Equal([Id(2)], dropped);
        Assert.Equal([Id(1)], holders.ToList().Select(h => h.CustomerId));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(KeyHolders.IndexFrom * 2)]
    public void Removing_a_stored_hold_leaves_the_count_of_reservations_right(int committed)
    {
        var holders = new KeyHolders();
        for (var i = 1; i <= committed; i++)
        {
            holders.Commit(Id(i));
        }

        holders.Reserve(Id(900), Start);
        holders.RemoveReportingCommitted(Id(1), committedToo: true); // a merge, while a creation is in flight

        var dropped = new List<Guid>();
        holders.DropStale(Guid.Empty, Start.AddMinutes(3), Timeout, dropped.Add);
        Assert.Equal([Id(900)], dropped);
    }

    [Fact]
    public void A_lone_reservation_keeps_its_age_when_a_second_customer_comes()
    {
        var holders = new KeyHolders();
        holders.Reserve(Id(1), Start); // held in place: the key's only holder
        holders.Commit(Id(2)); // the second one moves both into a list

        Assert.Equal([(Id(1), false), (Id(2), true)], holders.ToList().Select(h => (h.CustomerId, h.Committed)));
        var dropped = new List<Guid>();
        holders.DropStale(Guid.Empty, Start.AddMinutes(3), Timeout, dropped.Add);
        Assert.Equal([Id(1)], dropped);
        Assert.Equal([Id(2)], holders.ToList().Select(h => h.CustomerId));
    }

    [Fact]
    public void A_lone_holder_is_swept_only_when_it_is_a_stale_reservation_of_someone_else()
    {
        var holders = new KeyHolders();
        holders.Reserve(Id(1), Start);
        var dropped = new List<Guid>();

        holders.DropStale(Id(1), Start.AddMinutes(3), Timeout, dropped.Add); // the asker's own
        Assert.Empty(dropped);
        Assert.Single(holders.ToList());

        holders.DropStale(Guid.Empty, Start.AddMinutes(3), Timeout, dropped.Add);
        Assert.Equal([Id(1)], dropped);
        Assert.Empty(holders.ToList());
        Assert.False(holders.Holds(Id(1)));

        holders.Commit(Id(2));
        holders.DropStale(Guid.Empty, Start.AddMinutes(30), Timeout, dropped.Add); // stored holds never go stale
        Assert.Equal([Id(2)], holders.ToList().Select(h => h.CustomerId));
    }

    [Fact]
    public void A_lone_holder_reserved_committed_and_removed_reports_as_a_list_would()
    {
        var holders = new KeyHolders();
        holders.Reserve(Id(1), Start);
        holders.Reserve(Id(1), Start.AddSeconds(5)); // the same customer again: still one reservation, same age
        Assert.Equal(new KeyHolder(Id(1), Start.UtcTicks), holders[0]);

        Assert.True(holders.Commit(Id(1)));
        Assert.False(holders.Commit(Id(1)));
        Assert.False(holders.RemoveReportingCommitted(Id(1), committedToo: false));
        Assert.False(holders.RemoveReportingCommitted(Id(7), committedToo: true)); // not a holder
        Assert.True(holders.RemoveReportingCommitted(Id(1), committedToo: true));
        Assert.Empty(holders.ToList());
        Assert.Throws<ArgumentOutOfRangeException>(() => holders[0]);
        Assert.Throws<ArgumentException>(() => holders.Commit(Guid.Empty));
    }

    private static Guid Id(int n) => new($"00000000-0000-0000-0000-{n:D12}");
}
