using System.Text.Json;
using Crm.Client;
using Crm.Grains.Calendars;
using Crm.Grains.Contracts;
using Crm.Grains.Deals;
using Crm.Grains.Morning;
using Crm.Grains.Notifications;
using Crm.Grains.Org;
using Crm.Grains.Pools;
using Crm.Grains.Push;
using Crm.Tests.Contracts;
using Crm.Tests.Infrastructure;
using Crm.Tests.Pools;
using Crm.Tests.Tasks;
using Dapper;

namespace Crm.Tests.Reports.Rfm;

/// <summary>
/// Repurchase and churn morning tasks under the fake clock, in a Shanghai unit that works every day: customers who buy
/// every 35 days on average over their last three intervals, the last purchase 33 days before the morning (due), 50 days
/// before (churn risk; an older, longer interval does not count) and, for
/// one who buys every 34 days, 32 days before (due the next morning only). One task per reason and buying cycle, the
/// list pushed to the owner and kept in its message center.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RepurchaseMorningTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    [Fact]
    public async Task The_owner_gets_a_task_per_customer_due_or_at_risk_once_per_buying_cycle_and_the_list_in_its_message_center()
    {
        var today = DateOnly.FromDateTime(fixture.Clock.GetUtcNow().ToOffset(Shanghai).DateTime);
        var morning = today.AddDays(1);
        var (unit, rep) = await fixture.UnitWithRepAsync(new CalendarDefinition("Asia/Shanghai", [], [], [], new TimeOnly(9, 0)));
        var pool = await PoolWorld.CreateAsync(fixture.Grains, new PoolRuleSet());

        // Purchase days counted back from the morning (local to Shanghai); payments at 23:30 local test the local day.
        var due = await BuyerAsync(pool, rep, "Anna Due", [morning.AddDays(-103), morning.AddDays(-68), morning.AddDays(-33)]);
        var churn = await BuyerAsync(pool, rep, "Boris Churn", [morning.AddDays(-250), morning.AddDays(-155), morning.AddDays(-120), morning.AddDays(-85), morning.AddDays(-50)]);
        var later = await BuyerAsync(pool, rep, "Chen Later", [morning.AddDays(-100), morning.AddDays(-66), morning.AddDays(-32)]);
        var once = await BuyerAsync(pool, rep, "Dmitri Once", [morning.AddDays(-300)]);

        await MorningAsync(unit, morning);
        var first = await TasksAsync(rep);
        Assert.Equal(["Churn risk: Boris Churn", "Due to buy again: Anna Due"], first.Select(t => t.Title).Order());
        Assert.Contains($"Last purchase {morning.AddDays(-33):yyyy-MM-dd}, 33 days ago; buys every 35 days", first.Single(t => t.CustomerId == due.ToString()).Notes);
        Assert.Contains($"buys every 35 days on average (last 3 intervals): due from {morning.AddDays(-17):yyyy-MM-dd}, churn risk from {morning:yyyy-MM-dd}", first.Single(t => t.CustomerId == churn.ToString()).Notes);

        // The list went to the owner's message center, churn risks first.
        var stored = await StoredAsync(rep);
        var pushed = JsonSerializer.Deserialize<RepurchaseDue>(stored.Single(r => r.EventType == nameof(RepurchaseDue)).Data, EventPublisher.Json)!;
        Assert.Equal((rep, morning), (pushed.RepId, pushed.Day));
        Assert.Equal([(churn, RepurchaseStatusOf.Churn, 50), (due, RepurchaseStatusOf.Due, 33)],
            pushed.Customers.Select(c => (c.CustomerId, c.Status, c.DaysSince)));

        // The same morning again makes nothing; the next morning Chen is due (33 days), the others keep their one task.
        var (calendar, _) = await fixture.Service<CalendarDirectory>().ForUnitAsync(unit);
        var again = await fixture.Service<MorningTaskGenerator>().RunAsync(unit, morning, calendar);
        Assert.Equal((2, 0), (again.Reasons, again.Created));
        await MorningAsync(unit, morning.AddDays(1));
        var second = await TasksAsync(rep);

        // The morning run twice pushed its list once: by the time the next morning's list is stored, one for this morning.
        var lists = await StoredAsync(rep, morning.AddDays(1));
        Assert.Single(lists, r => r.EventType == nameof(RepurchaseDue) && JsonSerializer.Deserialize<RepurchaseDue>(r.Data, EventPublisher.Json)!.Day == morning);
        Assert.Equal(3, second.Count);
        Assert.Equal("Due to buy again: Chen Later", second.Single(t => t.CustomerId == later.ToString()).Title);
        Assert.DoesNotContain(second, t => t.CustomerId == once.ToString());

        // Anna buys again: a new cycle, so when she is due again she gets a new task; until then nothing.
        await PayAsync(due, morning.AddDays(1), new TimeOnly(8, 0));
        await MorningAsync(unit, morning.AddDays(2));
        Assert.Equal(3, (await TasksAsync(rep)).Count);
    }

    private static class RepurchaseStatusOf
    {
        public const string Due = "repurchase-due";
        public const string Churn = "churn-risk";
    }

    private readonly Dictionary<Guid, string> _contracts = [];

    /// <summary>A claimed customer with a won deal, a contract signed long ago, and a payment at 23:30 Shanghai time on each day.</summary>
    private async Task<Guid> BuyerAsync(PoolWorld pool, string rep, string name, DateOnly[] days)
    {
        var id = (await pool.ClaimedByAsync(rep, name)).GetPrimaryKey();
        var actor = PoolWorld.Rep(rep);
        var deals = fixture.Grains.GetGrain<ICustomerDeals>(id);
        var deal = (await deals.OpenDeal(new NewDeal("Supplies", 1_000_000m, "CNY", null, null, null, null, [], null), actor)).Value!;
        Assert.True((await deals.WinDeal(deal.Id, null, null, actor)).Ok);
        var signed = await fixture.Grains.GetGrain<ICustomerContracts>(id).SignContract(deal.Id,
            new NewContract(ContractKit.NewNumber(), 1_000_000m, ContractKit.SignedAt, [new PlanLine(new DateOnly(2049, 1, 1), 1_000_000m)]), actor);
        Assert.True(signed.Ok, signed.Error?.Message);
        _contracts[id] = signed.Value!.Id;
        foreach (var day in days)
        {
            await PayAsync(id, day);
        }

        return id;
    }

    private async Task PayAsync(Guid customer, DateOnly day, TimeOnly? at = null)
    {
        var paid = await fixture.Grains.GetGrain<ICustomerContracts>(customer).RecordPayment(_contracts[customer],
            new NewPayment(1_000m, new DateTimeOffset(day.ToDateTime(at ?? new TimeOnly(23, 30)), Shanghai), "bank-transfer", null, null), Crm.Grains.Common.Actor.System);
        Assert.True(paid.Ok, paid.Error?.Message);
    }

    private Task MorningAsync(string unit, DateOnly day) =>
        fixture.MorningAtAsync(unit, new DateTimeOffset(day.ToDateTime(new TimeOnly(9, 30)), Shanghai));

    private sealed record TaskRow(string Id, string Title, string? Notes, string CustomerId);

    private async Task<List<TaskRow>> TasksAsync(string rep)
    {
        await using var connection = await fixture.Database.OpenAsync();
        return (await connection.QueryAsync<TaskRow>("""
            SELECT t.id AS Id, t.title AS Title, t.notes AS Notes, i.customer_id AS CustomerId
            FROM tasks t JOIN task_items i ON i.task_id = t.id WHERE i.assignee_id = @rep
            """, new { rep })).ToList();
    }

    /// <summary>The rep's stored notifications once a RepurchaseDue (of <paramref name="day"/>, when given) is among them.</summary>
    private async Task<IReadOnlyList<NotificationRow>> StoredAsync(string rep, DateOnly? day = null)
    {
        var store = new NotificationStore(fixture.Database);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var rows = await store.AfterAsync(rep, 0, 500);
        bool Arrived() => rows.Any(r => r.EventType == nameof(RepurchaseDue)
                                        && (day is null || JsonSerializer.Deserialize<RepurchaseDue>(r.Data, EventPublisher.Json)!.Day == day));
        while (!Arrived() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
            rows = await store.AfterAsync(rep, 0, 500);
        }

        return rows;
    }
}
