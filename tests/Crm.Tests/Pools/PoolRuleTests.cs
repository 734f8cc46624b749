using Crm.Grains.Customers;
using Crm.Client;
using Crm.Grains.Pools;
using Crm.Tests.Infrastructure;
using Dapper;
using static Crm.Tests.Pools.PoolWorld;

namespace Crm.Tests.Pools;

/// <summary>Claim-side pool rules (cool-down, capacity overrides, claim limits), collusion and status pools, on a test cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PoolRuleTests(ClusterFixture fixture)
{
    private Task<PoolWorld> PoolAsync(PoolRuleSet rules) => PoolWorld.CreateAsync(fixture.Grains, rules);

    [Fact]
    public async Task A_released_customer_is_held_in_cool_down_for_everyone_until_the_hours_pass()
    {
        var world = await PoolAsync(new PoolRuleSet { CoolDownHours = 4 });
        var customer = await world.ClaimedByAsync(NewRepId());
        await customer.Release("not my region", Manager);
        var releasedAt = fixture.Clock.GetUtcNow();

        fixture.Clock.Advance(TimeSpan.FromHours(4) - TimeSpan.FromMinutes(1));
        var refused = await customer.Claim(Rep(NewRepId()));
        Assert.Equal("cool-down", refused.Error?.Code);
        Assert.Equal(releasedAt.AddHours(4), DateTimeOffset.Parse(refused.Error!.Details!["until"]));

        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await customer.Claim(Rep(NewRepId()))).Ok);
    }

    [Fact]
    public async Task A_manager_may_assign_a_customer_in_cool_down()
    {
        var world = await PoolAsync(new PoolRuleSet { CoolDownHours = 48 });
        var customer = await world.ClaimedByAsync(NewRepId());
        await customer.Release(null, Manager);

        Assert.True((await customer.Assign(NewRepId(), "key account", Manager)).Ok);
    }

    [Fact]
    public async Task A_rep_s_own_capacity_replaces_the_pool_s()
    {
        var senior = NewRepId();
        var world = await PoolAsync(new PoolRuleSet { CapacityPerRep = 1, CapacityOverrides = new Dictionary<string, int> { [senior] = 3 } });
        var junior = NewRepId();

        await world.ClaimedByAsync(junior);
        Assert.Equal("capacity-full", (await (await world.NewLeadAsync()).Claim(Rep(junior))).Error?.Code);
        for (var i = 0; i < 3; i++)
        {
            await world.ClaimedByAsync(senior);
        }

        var refused = await (await world.NewLeadAsync()).Claim(Rep(senior));
        Assert.Equal("capacity-full", refused.Error?.Code);
        Assert.Equal("3", refused.Error!.Details!["capacity"]);
    }

    [Fact]
    public async Task An_assignment_beyond_capacity_is_refused_too()
    {
        var world = await PoolAsync(new PoolRuleSet { CapacityPerRep = 1 });
        var rep = NewRepId();
        await world.ClaimedByAsync(rep);

        var refused = await (await world.NewLeadAsync()).Assign(rep, null, Manager);

        Assert.Equal("capacity-full", refused.Error?.Code);
    }

    [Fact]
    public async Task Claims_per_day_are_limited_and_the_count_starts_again_at_midnight_utc()
    {
        var world = await PoolAsync(new PoolRuleSet { ClaimsPerRepPerDay = 2 });
        var rep = NewRepId();
        var now = fixture.Clock.GetUtcNow();
        fixture.Clock.Advance(now.Date.AddDays(1).AddHours(23) - now.UtcDateTime);

        await world.ClaimedByAsync(rep);
        await world.ClaimedByAsync(rep);
        var refused = await (await world.NewLeadAsync()).Claim(Rep(rep));
        Assert.Equal(("claim-limit", "2"), (refused.Error?.Code, refused.Error!.Details!["limit"]));

        fixture.Clock.Advance(TimeSpan.FromHours(1));
        Assert.True((await (await world.NewLeadAsync()).Claim(Rep(rep))).Ok);
    }

    [Fact]
    public async Task A_claim_right_after_another_rep_s_release_is_flagged_with_the_evidence()
    {
        var world = await PoolAsync(new PoolRuleSet { CollusionWindowHours = 2 });
        var (a, b) = (NewRepId(), NewRepId());
        var customer = await world.ClaimedByAsync(a);
        await customer.Release("no budget", Rep(a));
        var releasedAt = fixture.Clock.GetUtcNow();
        fixture.Clock.Advance(TimeSpan.FromMinutes(30));

        await customer.Claim(Rep(b));

        var found = Assert.Single(await world.Pool.GetCollusionCases());
        Assert.Equal((CollusionRules.QuickHandover, a, b, customer.GetPrimaryKey()), (found.Kind, found.FromRepId, found.ToRepId, found.CustomerId));
        Assert.Equal([("released", a, releasedAt), ("claimed", b, releasedAt.AddMinutes(30))],
            found.Evidence.Select(e => (e.Kind, e.RepId, e.At)));
    }

    [Fact]
    public async Task A_claim_after_the_window_is_not_flagged()
    {
        var world = await PoolAsync(new PoolRuleSet { CollusionWindowHours = 2 });
        var customer = await world.ClaimedByAsync(NewRepId());
        await customer.Release(null, Manager);
        fixture.Clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));

        await customer.Claim(Rep(NewRepId()));

        Assert.Empty(await world.Pool.GetCollusionCases());
    }

    [Fact]
    public async Task A_ping_pong_over_the_protection_period_is_flagged()
    {
        var world = await PoolAsync(new PoolRuleSet { ReclaimProtectionDays = 1, CollusionWindowHours = 1, PingPongDays = 10 });
        var (a, b) = (NewRepId(), NewRepId());
        var customer = await world.ClaimedByAsync(a);
        await customer.Release(null, Rep(a));
        fixture.Clock.Advance(TimeSpan.FromHours(3));
        await customer.Claim(Rep(b));
        fixture.Clock.Advance(TimeSpan.FromDays(1));
        await customer.Release(null, Rep(b));
        fixture.Clock.Advance(TimeSpan.FromHours(3));

        Assert.True((await customer.Claim(Rep(a))).Ok);

        var found = Assert.Single(await world.Pool.GetCollusionCases());
        Assert.Equal((CollusionRules.PingPong, a, b), (found.Kind, found.FromRepId, found.ToRepId));
        Assert.Equal([("released", a), ("claimed", b), ("released", b), ("claimed", a)], found.Evidence.Select(e => (e.Kind, e.RepId)));
    }

    [Theory]
    [InlineData(Stage.Opportunity, "nurturing")]
    [InlineData(Stage.Customer, "success")]
    [InlineData(Stage.Lost, "failure")]
    [InlineData(Stage.Invalid, "invalid")]
    public async Task The_status_pool_follows_the_stage_in_the_read_model(Stage stage, string statusPool)
    {
        var world = await PoolAsync(new PoolRuleSet());
        var customer = await world.NewLeadAsync();
        Assert.Equal("nurturing", await StatusPoolOf(customer.GetPrimaryKey()));

        Assert.True((await customer.ChangeStage((CustomerStage)stage, "a reason", Manager)).Ok);

        Assert.Equal(statusPool, await StatusPoolOf(customer.GetPrimaryKey()));
    }

    [Fact]
    public void Rule_values_out_of_range_are_refused_field_by_field()
    {
        var errors = PoolRulesValidator.Validate(new PoolRules
        {
            CoolDownHours = -1,
            CollusionWindowHours = 0,
            PingPongDays = 0,
            CapacityOverrides = new Dictionary<string, int> { ["rep-1"] = 0 },
            RecycleAfterDaysWithoutFollowUp = 3,
            WarnDaysBefore = [3],
        });

        Assert.Equal(
            ["rules.capacityOverrides", "rules.collusionWindowHours", "rules.coolDownHours", "rules.pingPongDays", "rules.warnDaysBefore"],
            errors.Keys.Order());
    }

    private async Task<string?> StatusPoolOf(Guid id)
    {
        await using var connection = await fixture.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<string?>("SELECT status_pool FROM customer_status_pools WHERE id = @id", new { id = id.ToString() });
    }
}
