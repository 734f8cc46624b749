using System.Net;
using Crm.Client;
using Crm.Tests.Deals;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Levels;

/// <summary>
/// Customer levels over HTTP on the real server: the rule over order frequency × order size recomputes a customer's
/// level as its deals are won, a level set by hand holds until handed back, the change is on the timeline and in the
/// list rows (filter <c>level=</c>). The settings are company-wide: the test restores the defaults (tests of a
/// collection run one at a time).
/// </summary>
public abstract class LevelsTests
{
    protected abstract ServerProcess Server { get; }

    private static readonly CustomerLevelsRequest Small = new(["A", "B", "C", "D", "E"], new LevelRuleDto(true, 365, "CNY",
        [new("A", 3, 1000m), new("B", 2, 500m), new("C", 1, 0m)], "E"));

    /// <summary>The server's defaults (LevelSettings.Default).</summary>
    public static readonly CustomerLevelsRequest Defaults = new(["A", "B", "C", "D", "E"], new LevelRuleDto(true, 365, "CNY",
        [new("A", 12, 50_000m), new("B", 6, 20_000m), new("C", 3, 5_000m), new("D", 1, 1_000m)], "E"));

    [Fact]
    public async Task Won_deals_set_the_level_by_rule_until_a_person_sets_it_by_hand()
    {
        var world = await TestWorld.CreateAsync(Server);
        var current = (await world.RepA.SendAsync<CustomerLevelsDto>(HttpMethod.Get, "/api/customer-levels")).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(Defaults.Levels, current.Levels);
        Assert.Equal(Defaults.Rule!.Tiers, current.Rule.Tiers);
        (await world.Admin.SendAsync<CustomerLevelsDto>(HttpMethod.Put, "/api/customer-levels", Small)).EnsureStatus(HttpStatusCode.OK);
        try
        {
            var customer = await world.OwnedLeadAsync();
            Assert.Null(customer.Level);

            await WinAsync(world, customer.Id, 400m);
            Assert.Equal("C", (await world.RepA.GetCustomerAsync(customer.Id)).Value!.Level);
            await WinAsync(world, customer.Id, 800m);
            Assert.Equal("B", (await world.RepA.GetCustomerAsync(customer.Id)).Value!.Level);
            var byRule = (await world.RepA.TimelineAsync(customer.Id)).Value!.Where(e => e.Kind == "level-changed").ToList();
            Assert.Equal([("C", "rule", "1", "400"), ("B", "rule", "2", "600")],
                byRule.Select(e => (e.Data["to"], e.Data["by"], e.Data["orders"], e.Data["averageAmount"])));

            var listed = (await world.Manager.SearchAsync($"level=B&ownerId={world.RepA.UserId}")).EnsureStatus(HttpStatusCode.OK).Value!;
            Assert.Equal([(customer.Id, "B")], listed.Items.Select(c => (c.Id, c.Level)));

            // By hand: the manager's A holds while more orders come in.
            var set = await world.Manager.SendAsync<CustomerDto>(HttpMethod.Post, $"/api/customers/{customer.Id}/level", new SetLevelRequest("A", "strategic account"));
            Assert.Equal("A", set.EnsureStatus(HttpStatusCode.OK).Value!.Level);
            await WinAsync(world, customer.Id, 100m);
            Assert.Equal("A", (await world.RepA.GetCustomerAsync(customer.Id)).Value!.Level);
            Assert.Equal(0, (await world.Manager.SearchAsync($"level=B&ownerId={world.RepA.UserId}")).Value!.Total);

            // Handed back: the rule decides at once (3 orders, 433.33 on average: below B's 500, so C).
            var back = await world.RepA.SendAsync<CustomerDto>(HttpMethod.Post, $"/api/customers/{customer.Id}/level", new SetLevelRequest(null));
            Assert.Equal("C", back.EnsureStatus(HttpStatusCode.OK).Value!.Level);
            var last = (await world.RepA.TimelineAsync(customer.Id)).Value!.Last(e => e.Kind == "level-changed");
            Assert.Equal(("A", "C", "rule", "3"), (last.Data["from"], last.Data["to"], last.Data["by"], last.Data["orders"]));

            var unknown = await world.Manager.SendAsync<CustomerDto>(HttpMethod.Post, $"/api/customers/{customer.Id}/level", new SetLevelRequest("Z"));
            Assert.Equal(["level"], unknown.ErrorFields);
            // Another rep of the team does not see the customer: the 404 of an unknown id.
            Assert.Equal(HttpStatusCode.NotFound,
                (await world.RepB.SendAsync<CustomerDto>(HttpMethod.Post, $"/api/customers/{customer.Id}/level", new SetLevelRequest("E"))).Status);
        }
        finally
        {
            (await world.Admin.SendAsync<CustomerLevelsDto>(HttpMethod.Put, "/api/customer-levels", Defaults)).EnsureStatus(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task Orders_in_another_currency_count_at_the_rate_of_their_day_and_without_a_rate_wait()
    {
        var world = await TestWorld.CreateAsync(Server);
        (await world.Admin.SendAsync<CustomerLevelsDto>(HttpMethod.Put, "/api/customer-levels", Small)).EnsureStatus(HttpStatusCode.OK);
        try
        {
            // HKD is this test's own currency: one rate from long ago, in force today.
            (await world.Admin.SendAsync<Page<CurrencyRateDto>>(HttpMethod.Put, "/api/currency-rates",
                new CurrencyRatesRequest([new("HKD", new DateOnly(2000, 1, 3), 0.92m)]))).EnsureStatus(HttpStatusCode.OK);
            var customer = await world.OwnedLeadAsync();

            // 540 HKD twice would make B (two orders of 500 CNY on average) if counted as CNY; at 0.92 they are 496.80 CNY: C.
            await WinAsync(world, customer.Id, 540m, "HKD");
            var byRule = Assert.Single((await world.RepA.TimelineAsync(customer.Id)).Value!, e => e.Kind == "level-changed");
            Assert.Equal(("C", "1", "496.80"), (byRule.Data["to"], byRule.Data["orders"], byRule.Data["averageAmount"]));
            await WinAsync(world, customer.Id, 540m, "HKD");
            Assert.Equal("C", (await world.RepA.GetCustomerAsync(customer.Id)).Value!.Level);

            // A currency without a rate is not counted yet: still two orders, still C.
            await WinAsync(world, customer.Id, 99_000m, "KZT");
            Assert.Equal("C", (await world.RepA.GetCustomerAsync(customer.Id)).Value!.Level);
            Assert.Single((await world.RepA.TimelineAsync(customer.Id)).Value!, e => e.Kind == "level-changed");
        }
        finally
        {
            (await world.Admin.SendAsync<CustomerLevelsDto>(HttpMethod.Put, "/api/customer-levels", Defaults)).EnsureStatus(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task Level_settings_are_checked()
    {
        var world = await TestWorld.CreateAsync(Server);
        // Numbers out of their documented range are refused first, by the request's bounds (docs/security.md).
        var outOfRange = await world.Admin.SendAsync<CustomerLevelsDto>(HttpMethod.Put, "/api/customer-levels", new CustomerLevelsRequest(["A", "B"],
            new LevelRuleDto(true, 0, "CNY", [new("A", 0, -1m)], "B")));
        Assert.Equal(new[] { "rule.windowDays", "rule.tiers[0].minOrders", "rule.tiers[0].minAverageAmount" }.Order(), outOfRange.ErrorFields.Order());
        var bad = await world.Admin.SendAsync<CustomerLevelsDto>(HttpMethod.Put, "/api/customer-levels", new CustomerLevelsRequest(["A", "A", "B c"],
            new LevelRuleDto(true, 30, "XXX", [new("Q", 1, 0m)], "Z")));
        Assert.Equal(new[] { "levels", "rule.currency", "rule.fallback", "rule.tiers[0].level" }.Order(), bad.ErrorFields.Order());
        Assert.Equal(HttpStatusCode.Forbidden, (await world.Manager.SendAsync<CustomerLevelsDto>(HttpMethod.Put, "/api/customer-levels", Defaults)).Status);
    }

    private static async Task WinAsync(TestWorld world, Guid customerId, decimal amount, string currency = "CNY")
    {
        var deal = (await world.RepA.OpenDealAsync(customerId, DealKit.Deal(amount, currency))).EnsureStatus(HttpStatusCode.Created).Value!;
        (await world.RepA.WinAsync(deal.Id)).EnsureStatus(HttpStatusCode.OK);
    }
}

[Collection(ServerCollection.Name)]
public sealed class SqliteLevelsTests(ServerFixture fixture) : LevelsTests
{
    protected override ServerProcess Server => fixture.Server;
}

[Collection(PostgresServerCollection.Name)]
public sealed class PostgresLevelsTests(PostgresServerFixture fixture) : LevelsTests
{
    protected override ServerProcess Server => fixture.Server;
}
