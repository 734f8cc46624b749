using Crm.Client;
using Crm.Grains.Contracts;
using Crm.Grains.Customers;
using Crm.Grains.Deals;
using Crm.Grains.Push;
using Crm.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static Crm.Tests.Pools.PoolWorld;

namespace Crm.Tests.Contracts;

/// <summary>
/// The overdue rule on a test cluster with the fake clock: an instalment still unpaid when its due date ends is
/// announced once (PaymentOverdue on the customer's log, pushed to the owner); a paid one never is. The sweep is the
/// server's own, driven by the test.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PaymentOverdueTests(ClusterFixture fixture)
{
    private OverdueSweep Sweep() => new(fixture.Database, fixture.Grains, fixture.Clock, Options.Create(new OverdueOptions()), NullLogger<OverdueSweep>.Instance);

    [Fact]
    public async Task An_instalment_unpaid_when_its_due_date_ends_is_announced_once_to_the_owner()
    {
        var world = await Crm.Tests.Pools.PoolWorld.CreateAsync(fixture.Grains, new Crm.Grains.Pools.PoolRuleSet());
        var rep = NewRepId();
        var pushes = await ListenAsync(fixture.Grains, PushChannels.Rep(rep));
        var customer = await world.ClaimedByAsync(rep);
        var id = customer.GetPrimaryKey();
        var deals = fixture.Grains.GetGrain<ICustomerDeals>(id);
        var deal = (await deals.OpenDeal(new NewDeal("Rollout", 3000m, "CNY", null, null, null, null, [], null), Rep(rep))).Value!;
        Assert.True((await deals.WinDeal(deal.Id, null, null, Rep(rep))).Ok);

        var now = fixture.Clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var contracts = fixture.Grains.GetGrain<ICustomerContracts>(id);
        var signed = await contracts.SignContract(deal.Id, new NewContract(ContractKit.NewNumber(), 3000m, now,
            [new PlanLine(today.AddDays(2), 1000m), new PlanLine(today.AddDays(5), 2000m)]), Rep(rep));
        Assert.True(signed.Ok, signed.Error?.Message);
        var contract = signed.Value!;
        Assert.True((await contracts.RecordPayment(contract.Id, new NewPayment(400m, now, "cash", null, null), Rep(rep))).Ok);

        // Due in two days: overdue from the start of the third day (UTC, the default calendar), not a minute before.
        var overdueAt = new DateTimeOffset(today.AddDays(3).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        fixture.Clock.Advance(overdueAt - now - TimeSpan.FromMinutes(1));
        await Sweep().SweepOnceAsync();
        Assert.DoesNotContain(await TimelineKindsAsync(customer), k => k == "payment-overdue");

        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        await Sweep().SweepOnceAsync();
        await Sweep().SweepOnceAsync();
        var told = Assert.Single(await pushes.Settled<PaymentOverdue>());
        Assert.Equal((id, contract.Id, 1, today.AddDays(2), 1000m, 600m, "CNY", overdueAt),
            (told.CustomerId, told.ContractId, told.InstalmentNo, told.DueDate, told.Due, told.Outstanding, told.Currency, told.At));
        var entry = Assert.Single((await customer.HistoryAsync())!, e => e.Kind == "payment-overdue");
        Assert.Equal(("1", "600"), (entry.Data["instalmentNo"], entry.Data["outstanding"]));

        // The rest is paid before the second instalment falls due: nothing more is announced.
        Assert.True((await contracts.RecordPayment(contract.Id, new NewPayment(2600m, fixture.Clock.GetUtcNow(), "bank-transfer", null, null), Rep(rep))).Ok);
        fixture.Clock.Advance(TimeSpan.FromDays(4));
        await Sweep().SweepOnceAsync();
        Assert.Single(await pushes.Settled<PaymentOverdue>());
        Assert.Single(await TimelineKindsAsync(customer), k => k == "payment-overdue");
    }

    private static async Task<IReadOnlyList<string>> TimelineKindsAsync(ICustomerGrain customer) =>
        (await customer.HistoryAsync())!.Select(e => e.Kind).ToList();
}
