using System.Runtime.CompilerServices;
using Crm.Grains.Dedup;

namespace Crm.Tests.Dedup;

public sealed class ShardKeysTests
{
    [Fact]
    public void Each_key_has_its_own_holders_and_an_emptied_key_is_forgotten()
    {
        var shard = new ShardKeys();
        var (li, wang) = (Guid.NewGuid(), Guid.NewGuid());
        shard.GetOrAdd(DedupShards.KeyOf("phone", "+8613800138000")).Commit(li);
        shard.GetOrAdd(DedupShards.KeyOf("phone", "+8613800138001")).Commit(wang);
        shard.GetOrAdd(DedupShards.KeyOf("email", "+8613800138000")).Commit(wang); // same value, other kind: another key
        shard.GetOrAdd(DedupShards.KeyOf("phone", "+8613800138000")).Commit(wang);

        Assert.Equal(3, shard.Count);
        Assert.Equal(4, shard.Holds);
        Assert.Equal([li, wang], shard.Find("phone:+8613800138000").ToList().Select(h => h.CustomerId));
        Assert.Equal([wang], shard.Find("email:+8613800138000").ToList().Select(h => h.CustomerId));
        Assert.True(Unsafe.IsNullRef(ref shard.Find("phone:+8613800138002")));

        ref var holders = ref shard.Find("phone:+8613800138001");
        holders.RemoveReportingCommitted(wang, committedToo: true);
        shard.ForgetIfEmpty("phone:+8613800138001", in holders);
        Assert.True(Unsafe.IsNullRef(ref shard.Find("phone:+8613800138001")));
        Assert.Equal(2, shard.Count);
    }
}
