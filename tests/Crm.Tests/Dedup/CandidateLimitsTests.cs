using Crm.Grains.Dedup;

namespace Crm.Tests.Dedup;

public sealed class CandidateLimitsTests
{
    private static readonly Guid Lead = Id(1);

    [Fact]
    public void Candidates_from_all_shards_are_taken_rarest_key_first_before_the_limit_cuts()
    {
        // The first shard asked answers many holders of a name key; the mobile, held by one customer, is in a later shard.
        var nameShard = Enumerable.Range(10, 5).Select(n => new IndexHit("brand:明远", Id(n), true, KeyHolders: 40));
        var mobileShard = new[] { new IndexHit("phone:+8613800138000", Id(99), true, KeyHolders: 1) };

        var taken = CandidateLimits.Merge(nameShard.Concat(mobileShard), id => id != Lead, maxCandidates: 3);

        Assert.Equal([Id(99), Id(10), Id(11)], taken);
    }

    [Fact]
    public void A_customer_under_two_keys_is_one_candidate_and_the_lead_and_the_ineligible_are_none()
    {
        var hits = new[]
        {
            new IndexHit("phone:+8613800138000", Lead, false, 2),
            new IndexHit("phone:+8613800138000", Id(5), true, 2),
            new IndexHit("email:li@example.cn", Id(5), true, 1),
            new IndexHit("email:li@example.cn", Id(6), false, 1),
            new IndexHit("brand:明远", Id(7), true, 3),
        };

        var taken = CandidateLimits.Merge(hits, id => id != Lead && id != Id(6), maxCandidates: 200);

        Assert.Equal([Id(5), Id(7)], taken);
    }

    private static Guid Id(int n) => new($"00000000-0000-0000-0000-{n:D12}");
}
