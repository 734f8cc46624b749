using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Dedup;
using Crm.Grains.Pools;
using Crm.Plugins.Standard.Dedup;
using Crm.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Crm.Tests.Dedup;

/// <summary>The dedup gate over the real index grains on a test cluster (SQLite), with the standard strategies.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DedupGateTests(ClusterFixture fixture)
{
    private static readonly Actor Manager = new("manager-1", UserRole.Manager, "unit-1");

    private readonly DedupGate _gate = new(fixture.Grains,
        new DirectDedupStrategySource([new IdentityKeysStrategy(), new CompanyNameStrategy()]),
        Options.Create(new DedupOptions()));

    private async Task<string> NewPoolAsync(string action, IReadOnlyDictionary<string, string>? actions = null)
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        var rules = new PoolRuleSet { Dedup = new DedupPolicy(["identity-keys", "company-name"], action) { Actions = actions } };
        Assert.True((await fixture.Grains.GetGrain<IPoolGrain>(id).Create("Pool", "unit-1", rules)).Ok);
        return id;
    }

    private static NewCustomer Lead(string pool, string tag, string? phone = null, string? taxId = null, string? company = null) =>
        new NewCustomer("Wang Fang", company ?? $"上海{tag}贸易有限公司", phone, TaxId: taxId, PoolId: pool);

    private static string Tag() => string.Concat(Guid.NewGuid().ToString("N")[..6].Select(c => (char)('甲' + c % 40)));

    private static string Mobile() => "139" + Random.Shared.Next(10_000_000, 99_999_999);

    [Fact]
    public async Task Twenty_identical_leads_submitted_at_once_make_one_customer()
    {
        var pool = await NewPoolAsync("block");
        var lead = Lead(pool, Tag(), phone: Mobile());
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => _gate.CreateAsync(Guid.NewGuid(), lead, Manager, RuleOf(pool)))));

        var created = outcomes.Where(o => o.Customer is not null).ToList();
        Assert.Single(created);
        Assert.All(outcomes.Where(o => o.Customer is null), o =>
        {
            Assert.True(o.Decision.Blocked);
            Assert.Contains(o.Decision.Matches, m => m.CustomerId == created[0].Customer!.Id);
        });
    }

    [Fact]
    public async Task A_lead_with_the_same_credit_code_in_another_form_is_blocked_by_the_exact_key()
    {
        var pool = await NewPoolAsync("block");
        var first = await _gate.CreateAsync(Guid.NewGuid(), Lead(pool, Tag(), taxId: "91350100M000100Y43"), Manager, RuleOf(pool));
        Assert.NotNull(first.Customer);

        var second = await _gate.CreateAsync(Guid.NewGuid(), Lead(pool, Tag(), taxId: "9135 0100 m000 100y 43"), Manager, RuleOf(pool));

        Assert.Null(second.Customer);
        var match = Assert.Single(second.Decision.Matches);
        Assert.Equal((first.Customer!.Id, "uscc", "91350100M000100Y43", "exact"), (match.CustomerId, match.KeyKind, match.KeyValue, match.Strength));
        // cleanup for other tests sharing the code: release by merging is not needed, the key is unique per test run
        await ReleaseAsync(first.Customer.Id);
    }

    [Fact]
    public async Task A_flagged_duplicate_is_created_and_both_timelines_record_the_flag()
    {
        var pool = await NewPoolAsync("block", new Dictionary<string, string> { ["strong"] = "flag" });
        var phone = Mobile();
        var tag = Tag();
        var first = (await _gate.CreateAsync(Guid.NewGuid(), Lead(pool, tag, phone: phone), Manager, RuleOf(pool))).Customer!;

        var second = await _gate.CreateAsync(Guid.NewGuid(), Lead(pool, tag + "乙", phone: $"+86 {phone[..3]} {phone[3..7]} {phone[7..]}"), Manager, RuleOf(pool));

        Assert.NotNull(second.Customer);
        Assert.Equal("flag", second.Decision.Action);
        foreach (var id in new[] { first.Id, second.Customer!.Id })
        {
            var timeline = await fixture.Grains.GetGrain<ICustomerGrain>(id).HistoryAsync();
            Assert.Contains(timeline!, e => e.Kind == "duplicate-flagged" && e.Data["matchedKey"] == $"phone:+86{phone}");
        }
    }

    [Fact]
    public async Task A_blocked_lead_leaves_no_reservation_behind()
    {
        var pool = await NewPoolAsync("block");
        var tag = Tag();
        var first = (await _gate.CreateAsync(Guid.NewGuid(), Lead(pool, tag), Manager, RuleOf(pool))).Customer!;
        var blocked = await _gate.CreateAsync(Guid.NewGuid(), Lead(pool, tag, company: $"{tag}贸易（上海）有限公司"), Manager, RuleOf(pool));
        Assert.True(blocked.Decision.Blocked);

        var check = await _gate.CheckAsync(new Crm.Sdk.CustomerSnapshot { Id = Guid.NewGuid().ToString(), Name = "x", Company = $"{tag}贸易有限公司" }, RuleOf(pool));

        Assert.Equal([first.Id], check.Matches.Select(m => m.CustomerId));
    }

    [Fact]
    public async Task The_index_heals_from_the_customer_when_a_commit_was_lost()
    {
        var pool = await NewPoolAsync("block");
        var phone = Mobile();
        var first = (await _gate.CreateAsync(Guid.NewGuid(), Lead(pool, Tag(), phone: phone), Manager, RuleOf(pool))).Customer!;
        var keys = (await _gate.KeysAsync(CustomerCard.From(first), RuleOf(pool))).Keys;
        await DedupGate.RemoveAsync(fixture.Grains, new DedupOptions().Shards, first.Id, keys); // as if the commit never happened

        Assert.True(await fixture.Grains.GetGrain<ICustomerGrain>(first.Id).Reproject());
        var check = await _gate.CheckAsync(new Crm.Sdk.CustomerSnapshot { Id = Guid.NewGuid().ToString(), Name = "x", Phone = phone }, RuleOf(pool));

        Assert.Contains(check.Matches, m => m.CustomerId == first.Id && m.KeyKind == "phone");
    }

    private DedupPolicy RuleOf(string pool) => fixture.Grains.GetGrain<IPoolGrain>(pool).Get().Result!.Rules.Dedup!;

    private async Task ReleaseAsync(Guid id)
    {
        var customer = (await fixture.Grains.GetGrain<ICustomerGrain>(id).Get())!;
        await DedupGate.RemoveAsync(fixture.Grains, new DedupOptions().Shards, id, (await _gate.KeysAsync(CustomerCard.From(customer), null)).Keys);
    }
}
