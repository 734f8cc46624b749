using System.Text.Json;
using Crm.Client;
using Crm.Grains.Calendars;
using Crm.Grains.Common;
using Crm.Grains.Contracts;
using Crm.Grains.CustomFields;
using Crm.Grains.Deals;
using Crm.Grains.Customers;
using Crm.Grains.Morning;
using Crm.Grains.Org;
using Crm.Grains.Pools;
using Crm.Grains.Tasks;
using Crm.Server.Api.CustomFields;
using Crm.Server.Api.FieldWork;
using Crm.Tests.Contracts;
using Crm.Tests.Infrastructure;
using Crm.Tests.Pools;
using Dapper;

namespace Crm.Tests.Tasks;

/// <summary>
/// Morning tasks under the fake clock, in a unit on Shanghai time whose weekend is followed by a holiday: an overdue
/// instalment and a customer about to drop back to the pool are told on the first morning; the last working morning
/// before the weekend also covers the weekend and the holiday, so a birthday on the weekend and an anniversary on the
/// holiday are told then; the weekend and the holiday make nothing, and a second run of a morning makes no second task.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class MorningTaskTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    [Fact]
    public async Task Each_reason_gets_one_task_on_the_working_morning_that_covers_it_and_weekends_and_holidays_make_none()
    {
        // The unit's week is laid out from today (the shared clock's day, whatever weekday it is), so the clock moves
        // six days and no more: today the set-up, then "Thursday", "Friday", two weekend days, a holiday, "Tuesday".
        var today = DateOnly.FromDateTime(fixture.Clock.GetUtcNow().ToOffset(Shanghai).DateTime);
        var holiday = today.AddDays(5);
        var (unit, rep) = await fixture.UnitWithRepAsync(new CalendarDefinition("Asia/Shanghai", [today.AddDays(3).DayOfWeek, today.AddDays(4).DayOfWeek],
            [holiday], [], new TimeOnly(9, 0)));
        await EnsureDateFieldAsync("birthday");
        await EnsureDateFieldAsync("anniversary");

        var keep = await PoolWorld.CreateAsync(fixture.Grains, new PoolRuleSet());
        var recycling = await PoolWorld.CreateAsync(fixture.Grains, new PoolRuleSet { RecycleAfterDaysWithoutFollowUp = 3 });
        var anna = (await keep.ClaimedByAsync(rep, "Anna Ivanova")).GetPrimaryKey();
        await OverdueInstalmentAsync(anna, rep);
        var boris = (await recycling.ClaimedByAsync(rep, "Boris Petrov")).GetPrimaryKey(); // drops on the first weekend day
        var chen = await ClaimedWithAsync(keep, rep, "Chen Jing", "birthday", new DateOnly(1992, today.AddDays(4).Month, today.AddDays(4).Day));
        var dmitri = await ClaimedWithAsync(keep, rep, "Dmitri Orlov", "anniversary", new DateOnly(2016, holiday.Month, holiday.Day));

        // "Thursday": the instalment fell overdue at midnight, Boris drops before the working morning two working days on.
        await MorningAsync(unit, today.AddDays(1));
        var thursday = await TasksAsync(rep);
        Assert.Equal(["Follow up before it returns to the pool: Boris Petrov", "Overdue payment: Anna Ivanova"], thursday.Select(t => t.Title).Order());
        Assert.Contains("Instalment 1 of contract HT-", thursday.Single(t => t.CustomerId == anna.ToString()).Notes);
        Assert.Contains("Goes back to pool", thursday.Single(t => t.CustomerId == boris.ToString()).Notes);
        Assert.All(thursday, t => Assert.Equal(("system", unit), (t.CreatedBy, t.OrgUnitId)));

        // The same morning again, past the grain's memory of it: the same reasons, no new task.
        var (calendar, _) = await fixture.Service<CalendarDirectory>().ForUnitAsync(unit);
        var again = await fixture.Service<MorningTaskGenerator>().RunAsync(unit, today.AddDays(1), calendar);
        Assert.Equal((2, 0), (again.Reasons, again.Created));

        // "Friday" covers the weekend and the holiday after it: the birthday and the anniversary, told once.
        await MorningAsync(unit, today.AddDays(2));
        await MorningAsync(unit, today.AddDays(2), minutes: 45);
        var friday = (await TasksAsync(rep)).ExceptBy(thursday.Select(t => t.Id), t => t.Id).ToList();
        Assert.Equal(new[] { chen.ToString(), dmitri.ToString() }.Order(), friday.Select(t => t.CustomerId).Order());
        Assert.Contains("Birthday 1992-", friday.Single(t => t.CustomerId == chen.ToString()).Notes);
        Assert.Contains($"({holiday.Year - 2016} years)", friday.Single(t => t.CustomerId == dmitri.ToString()).Notes);

        // The weekend and the holiday make nothing; "Tuesday" finds only reasons that already have their task.
        foreach (var day in new[] { 3, 4, 5 })
        {
            Assert.Null((await MorningAsync(unit, today.AddDays(day))).Day);
        }

        await MorningAsync(unit, today.AddDays(6));
        Assert.Equal(4, (await TasksAsync(rep)).Count);
    }

    [Fact]
    public async Task A_drop_by_the_visit_clock_is_a_visit_task_on_the_route_and_one_by_the_deal_clock_asks_for_a_deal_and_records_nothing()
    {
        // A unit that works every day: the morning after the claims finds both deadlines (two days on), its tasks due the morning after.
        var today = DateOnly.FromDateTime(fixture.Clock.GetUtcNow().ToOffset(Shanghai).DateTime);
        var (unit, rep) = await fixture.UnitWithRepAsync(new CalendarDefinition("Asia/Shanghai", [], [], [], new TimeOnly(9, 0)));
        var visiting = await PoolWorld.CreateAsync(fixture.Grains, new PoolRuleSet { RecycleAfterDaysWithoutVisit = 2 });
        var dealing = await PoolWorld.CreateAsync(fixture.Grains, new PoolRuleSet { RecycleAfterDaysWithoutDeal = 2 });
        var elena = (await visiting.ClaimedByAsync(rep, "Elena Smirnova")).GetPrimaryKey();
        var fedor = (await dealing.ClaimedByAsync(rep, "Fedor Kuznetsov")).GetPrimaryKey();

        await MorningAsync(unit, today.AddDays(1));
        var tasks = (await TasksAsync(rep)).ToDictionary(t => Guid.Parse(t.CustomerId));

        // Only a check-in restarts the visit clock: a visit task, saying so.
        Assert.Equal((TaskKinds.Visit, "Visit before it returns to the pool: Elena Smirnova"), (tasks[elena].Kind, tasks[elena].Title));
        Assert.Contains("unless you check in at the customer", tasks[elena].Notes);
        Assert.Contains("no visit for 2 days", tasks[elena].Notes);
        // Only a deal stops the deal clock, and no task kind opens one: a custom task, which records nothing when completed.
        Assert.Equal((TaskKinds.Custom, "Open a deal before it returns to the pool: Fedor Kuznetsov"), (tasks[fedor].Kind, tasks[fedor].Title));
        Assert.Contains("unless a deal is opened", tasks[fedor].Notes);
        Assert.DoesNotContain("followed up", tasks[elena].Notes + tasks[fedor].Notes);

        // The visit task is a stop of the rep's route on its due day, as visit tasks are; the deal task is not.
        var route = await new FieldWorkQueries(fixture.Database).PlannedAsync(rep, At(today.AddDays(2), 0, 0), At(today.AddDays(3), 0, 0));
        var stop = Assert.Single(route);
        Assert.Equal((elena, FieldWorkQueries.PlannedByVisitTask), (stop.Id, stop.Reason));

        // Completing the deal task records nothing on the customer: nothing on its timeline says the drop was dealt with.
        var dealTask = fixture.Grains.GetGrain<ITaskGrain>(tasks[fedor].Id);
        (await dealTask.Complete(new CompleteTask(null, "asked for a quote", null, null), PoolWorld.Rep(rep))).AssertOk();
        Assert.DoesNotContain((await fixture.Grains.GetGrain<ICustomerGrain>(fedor).HistoryAsync())!, e => e.Kind == TimelineKinds.FollowUp);
    }

    [Fact]
    public async Task A_drop_task_whose_customer_left_the_rep_is_cancelled_on_the_next_morning_run_and_the_others_stay()
    {
        var today = DateOnly.FromDateTime(fixture.Clock.GetUtcNow().ToOffset(Shanghai).DateTime);
        var (unit, rep) = await fixture.UnitWithRepAsync(new CalendarDefinition("Asia/Shanghai", [], [], [], new TimeOnly(9, 0)));
        var recycling = await PoolWorld.CreateAsync(fixture.Grains, new PoolRuleSet { RecycleAfterDaysWithoutFollowUp = 2 });
        var galina = (await recycling.ClaimedByAsync(rep, "Galina Sokolova")).GetPrimaryKey();
        var hu = (await recycling.ClaimedByAsync(rep, "Hu Wei")).GetPrimaryKey();
        await MorningAsync(unit, today.AddDays(1));
        var tasks = (await TasksAsync(rep)).ToDictionary(t => Guid.Parse(t.CustomerId), t => t.Id);
        Assert.Equal(new[] { galina, hu }.Order(), tasks.Keys.Order());

        // The rep lets Galina go: the drop her task warns of cannot happen any more, and she is no longer the rep's to follow up.
        (await fixture.Grains.GetGrain<ICustomerGrain>(galina).Release("no budget", PoolWorld.Rep(rep))).AssertOk();
        var (calendar, _) = await fixture.Service<CalendarDirectory>().ForUnitAsync(unit);
        await fixture.Service<MorningTaskGenerator>().RunAsync(unit, today.AddDays(1), calendar);

        Assert.Equal(TaskStatuses.Cancelled, (await fixture.Grains.GetGrain<ITaskGrain>(tasks[galina]).Get())!.Header.Status);
        Assert.Equal(TaskStatuses.Open, (await fixture.Grains.GetGrain<ITaskGrain>(tasks[hu]).Get())!.Header.Status);
    }

    private static DateTimeOffset At(DateOnly day, int hour, int minute) => new(day.ToDateTime(new TimeOnly(hour, minute)), Shanghai);

    /// <summary>Moves the clock to that day's 09:30 (or later) in Shanghai and knocks on the unit's morning, as the sweep does.</summary>
    private Task<MorningReport> MorningAsync(string unit, DateOnly day, int minutes = 30) => fixture.MorningAtAsync(unit, At(day, 9, minutes));

    private sealed record TaskRow(string Id, string Title, string? Notes, string CreatedBy, string? OrgUnitId, string CustomerId, string Kind);

    private async Task<List<TaskRow>> TasksAsync(string rep)
    {
        await using var connection = await fixture.Database.OpenAsync();
        return (await connection.QueryAsync<TaskRow>("""
            SELECT t.id AS Id, t.title AS Title, t.notes AS Notes, t.created_by AS CreatedBy, t.org_unit_id AS OrgUnitId, i.customer_id AS CustomerId,
                   t.kind AS Kind
            FROM tasks t JOIN task_items i ON i.task_id = t.id WHERE i.assignee_id = @rep
            """, new { rep })).ToList();
    }

    private async Task EnsureDateFieldAsync(string key)
    {
        var at = fixture.Clock.GetUtcNow();
        await new CustomFieldStore(fixture.Database, fixture.Service<CustomFieldCatalog>()).SaveAsync(
            new CustomFieldDefinition(CustomFieldEntity.Customer, key, new LocalizedText(null, key, null), CustomFieldType.Date, false, [], [], at, at));
    }

    private async Task<Guid> ClaimedWithAsync(PoolWorld pool, string rep, string name, string field, DateOnly date)
    {
        var id = Guid.NewGuid();
        var customer = fixture.Grains.GetGrain<Crm.Grains.Customers.ICustomerGrain>(id);
        var created = await customer.Create(new NewCustomer(name, PoolId: pool.PoolId,
            CustomFieldsJson: new Dictionary<string, string> { [field] = JsonSerializer.Serialize(date.ToString("yyyy-MM-dd")) }), PoolWorld.Manager);
        Assert.True(created.Ok, created.Error?.Message);
        Assert.True((await customer.Claim(PoolWorld.Rep(rep))).Ok);
        return id;
    }

    /// <summary>A won deal and a contract whose one instalment is due today (UTC, the customer's default calendar), unpaid.</summary>
    private async Task OverdueInstalmentAsync(Guid customer, string rep)
    {
        var deals = fixture.Grains.GetGrain<ICustomerDeals>(customer);
        var deal = (await deals.OpenDeal(new NewDeal("Rollout", 1000m, "CNY", null, null, null, null, [], null), PoolWorld.Rep(rep))).Value!;
        Assert.True((await deals.WinDeal(deal.Id, null, null, PoolWorld.Rep(rep))).Ok);
        var now = fixture.Clock.GetUtcNow();
        var signed = await fixture.Grains.GetGrain<ICustomerContracts>(customer).SignContract(deal.Id,
            new NewContract(ContractKit.NewNumber(), 1000m, now, [new PlanLine(DateOnly.FromDateTime(now.UtcDateTime), 1000m)]), PoolWorld.Rep(rep));
        Assert.True(signed.Ok, signed.Error?.Message);
    }
}
