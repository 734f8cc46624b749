using System.Text;
using Crm.Grains.Dedup;

namespace Crm.Tests.Dedup;

public sealed class DedupShardsTests
{
    // Stored keys sit in the shard this gives: it must never change for a key, however it is computed.
    [Theory]
    [InlineData("phone:+8613800138000")]
    [InlineData("name:上海阿克米贸易")]
    [InlineData("email:sales.42@163.com")]
    [InlineData("name:Пётр и сыновья")]
    [InlineData("name:🚀 rocket \ud800 lone surrogate")]
    [InlineData("")]
    public void A_key_goes_to_the_shard_of_the_FNV_1a_hash_of_its_UTF8_bytes(string key)
    {
        Assert.Equal(Reference(key, 64), DedupShards.Of(key, 64));
        Assert.Equal(Reference(key, 7), DedupShards.Of(key, 7));
    }

    [Fact]
    public void A_long_key_goes_where_the_reference_sends_it()
    {
        var key = "address:" + string.Concat(Enumerable.Repeat("浙江省杭州市西湖区文三路", 40));
        Assert.Equal(Reference(key, 64), DedupShards.Of(key, 64));
    }

    // A card's shard is that of its id's 32 hex digits, as it always was.
    [Fact]
    public void A_customer_goes_to_the_shard_of_its_ids_hex_digits()
    {
        var random = new Random(8);
        for (var i = 0; i < 2_000; i++)
        {
            var id = new Guid(Enumerable.Range(0, 16).Select(_ => (byte)random.Next(256)).ToArray());
            Assert.Equal(Reference(id.ToString("N"), 64), DedupShards.OfCustomer(id, 64));
            Assert.Equal(Reference(id.ToString("N"), 7), DedupShards.OfCustomer(id, 7));
        }
    }

    private static int Reference(string value, int shards)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash % (uint)shards);
    }
}
