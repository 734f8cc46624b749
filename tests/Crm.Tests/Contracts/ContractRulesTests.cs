using Crm.Grains.Calendars;
using Crm.Grains.Contracts;
using Crm.Grains.Money;

namespace Crm.Tests.Contracts;

/// <summary>The plain rules of contracts and money: allocation order, overdue instants in a unit's time zone, plans, conversion.</summary>
public sealed class ContractRulesTests
{
    private static ContractRecord Contract(params (decimal Amount, decimal Paid)[] instalments) => new()
    {
        Id = "k-1",
        Number = "HT-1",
        Currency = "CNY",
        Amount = instalments.Sum(i => i.Amount),
        Paid = instalments.Sum(i => i.Paid),
        Instalments = instalments.Select((i, n) => new InstalmentRecord { No = n + 1, DueDate = new DateOnly(2026, 1 + n, 1), Amount = i.Amount, Paid = i.Paid }).ToList(),
    };

    [Fact]
    public void A_payment_fills_the_oldest_instalment_first_and_a_refund_takes_back_the_newest_first()
    {
        var contract = Contract((100m, 100m), (200m, 50m), (300m, 0m));
        Assert.Equal([new PaymentAllocation(2, 150m), new PaymentAllocation(3, 10m)], ContractRules.Allocate(contract, 160m));
        Assert.Equal([new PaymentAllocation(2, -50m), new PaymentAllocation(1, -20m)], ContractRules.Allocate(contract, -70m));
        Assert.NotNull(ContractRules.CheckPayment(contract, 450.01m));
        Assert.Null(ContractRules.CheckPayment(contract, 450m));
        Assert.NotNull(ContractRules.CheckPayment(contract, -150.01m));
    }

    [Fact]
    public void A_refund_is_dated_no_earlier_than_from_when_the_contract_held_it_for_good()
    {
        DateTimeOffset Day(int d, int hour = 9) => new(2026, 5, d, hour, 0, 0, TimeSpan.Zero);
        (DateTimeOffset, decimal)[] paid = [(Day(20), 400m), (Day(30), 600m), (Day(25), -300m)];
        Assert.Equal(Day(20), ContractRules.EarliestRefund(paid, 100m));
        // 100 was held from the 25th (400 less the 300 refunded then) until the 600 arrived on the 30th.
        Assert.Equal(Day(30), ContractRules.EarliestRefund(paid, 100.01m));
        Assert.Equal(Day(30), ContractRules.EarliestRefund(paid, 700m));
        Assert.Null(ContractRules.EarliestRefund(paid, 700.01m));
        Assert.Null(ContractRules.EarliestRefund([], 1m));

        // Calendar dates with a day's allowance: the 29th (UTC) is the earliest date for a refund of what arrived on the 30th.
        var contract = Contract((1000m, 700m));
        Assert.Null(ContractRules.CheckRefundDate(contract, paid, Day(29, 0), -200m));
        var early = ContractRules.CheckRefundDate(contract, paid, Day(28, 23), -200m);
        Assert.Equal(("receivedAt", true), (early?.Details?["field"], early?.Message.Contains("'receivedAt' is 2026-05-29 or later") == true));
        Assert.Null(ContractRules.CheckRefundDate(contract, paid, Day(1), 50m));
    }

    [Fact]
    public void An_instalment_falls_overdue_when_its_due_date_ends_in_the_units_time_zone()
    {
        var shanghai = new WorkCalendar(CalendarDefinition.Default with { TimeZone = "Asia/Shanghai" });
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 16, 0, 0, TimeSpan.Zero), ContractRules.OverdueAt(new DateOnly(2026, 3, 10), shanghai));
        Assert.Equal(new DateTimeOffset(2026, 3, 11, 0, 0, 0, TimeSpan.Zero), ContractRules.OverdueAt(new DateOnly(2026, 3, 10), WorkCalendar.Default));
        var at = new DateTimeOffset(2026, 3, 11, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal((0, 1, 1, 2), (ContractRules.DaysOverdue(at, at.AddTicks(-1)), ContractRules.DaysOverdue(at, at), ContractRules.DaysOverdue(at, at.AddHours(23)),
            ContractRules.DaysOverdue(at, at.AddDays(1))));
    }

    [Fact]
    public void A_plan_must_add_up_to_the_contract_amount_in_the_currencys_decimals()
    {
        PlanLine Line(decimal amount) => new(new DateOnly(2026, 1, 1), amount);
        Assert.Empty(ContractRules.PlanErrors(100m, [Line(40m), Line(60m)], 0, "JPY"));
        Assert.Equal(["paymentPlan"], ContractRules.PlanErrors(100m, [Line(40m), Line(50m)], 0, "JPY").Select(e => e.Field));
        Assert.Equal(["paymentPlan[0].amount", "paymentPlan[1].amount"], ContractRules.PlanErrors(100m, [Line(40.5m), Line(59.5m)], 0, "JPY").Select(e => e.Field));
        Assert.Equal(["paymentPlan"], ContractRules.PlanErrors(100m, [], 2, "CNY").Select(e => e.Field));
    }

    [Fact]
    public void A_conversion_takes_the_latest_rate_on_or_before_the_day_rounded_to_the_base_currency()
    {
        var table = new RateTable("CNY", 2, [new("USD", new DateOnly(2026, 1, 1), 7.1234m), new("USD", new DateOnly(2026, 2, 1), 7.2m), new("JPY", new DateOnly(2026, 1, 1), 0.0478m)]);
        Assert.Null(table.ToBase(100m, "USD", new DateOnly(2025, 12, 31)));
        Assert.Equal(712.41m, table.ToBase(100.01m, "USD", new DateOnly(2026, 1, 31)));
        Assert.Equal(720m, table.ToBase(100m, "USD", new DateOnly(2026, 2, 1)));
        Assert.Equal(0.05m, table.ToBase(1m, "JPY", new DateOnly(2026, 6, 1)));
        Assert.Equal(3m, table.ToBase(3m, "CNY", new DateOnly(1990, 1, 1)));
        Assert.Null(table.ToBase(1m, "EUR", new DateOnly(2026, 6, 1)));
    }
}
