using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Contracts;
using Crm.Grains.Customers;
using Crm.Grains.Deals;
using Crm.Grains.Metrics;
using Crm.Grains.Visits;
using Crm.Tests.Contracts;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Reports;

/// <summary>
/// Two weeks of generated work on the test cluster (fake clock), by four reps in two time zones: customers created
/// and merged away, follow-ups logged late, visits, deals won in two currencies, payments and refunds. The per-rep,
/// per-local-day metrics the projection kept must equal what the test adds up itself from the events it sent.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RepMetricProjectionTests(ClusterFixture fixture)
{
    private sealed record Owned(Guid Id, string Rep, DateTimeOffset CreatedAt);

    [Fact]
    public async Task Two_weeks_of_generated_events_add_up_per_rep_and_local_day_as_the_raw_events_say()
    {
        var start = fixture.Clock.GetUtcNow();
        var org = await MetricOrg.CreateAsync(fixture, DateOnly.FromDateTime(start.UtcDateTime).AddDays(5));
        var expected = new Dictionary<(string Rep, DateOnly Day, string Metric, string Currency), decimal>();
        var (refunds, merges, otherDayThanUtc) = (0, 0, 0);
        void Count(string rep, DateTimeOffset at, string metric, decimal value, string currency = "")
        {
            var key = (rep, DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, org.ZoneOf(rep)).DateTime), metric, currency);
            otherDayThanUtc += key.Item2 == DateOnly.FromDateTime(at.UtcDateTime) ? 0 : 1;
            expected[key] = expected.GetValueOrDefault(key) + value;
        }

        var random = new Random(17);
        var customers = new List<Owned>();
        var openDeals = new List<(Guid Customer, string Rep, string DealId, DateTimeOffset OpenedAt)>();
        var paidContracts = new List<(Guid Customer, string Rep, string ContractId, decimal Paid)>();
        for (var day = 0; day < 14; day++)
        {
            // A day and a few hours on: the UTC time of day wanders, so events fall either side of local midnights.
            fixture.Clock.Advance(TimeSpan.FromHours(24 + random.Next(0, 7)));
            var now = fixture.Clock.GetUtcNow();
            foreach (var rep in org.Reps)
            {
                var actor = MetricOrg.Rep(rep, org.TeamOf(rep));
                if (random.Next(10) < 7)
                {
                    var id = Guid.NewGuid();
                    var created = await fixture.Grains.GetGrain<ICustomerGrain>(id)
                        .Create(new NewCustomer($"Customer {day}-{rep[..4]}", PoolId: org.PoolOf(rep), OwnerId: rep), MetricOrg.Admin);
                    Assert.True(created.Ok, created.Error?.Message);
                    customers.Add(new Owned(id, rep, now));
                    Count(rep, now, MetricNames.NewCustomers, 1);
                }

                var mine = customers.Where(c => c.Rep == rep).ToList();
                if (mine.Count == 0)
                {
                    continue;
                }

                for (var n = random.Next(0, 3); n > 0; n--)
                {
                    var customer = mine[random.Next(mine.Count)];
                    var late = TimeSpan.FromMinutes(random.Next(0, (int)Math.Min(14 * 60, (now - customer.CreatedAt).TotalMinutes) + 1));
                    var followed = await fixture.Grains.GetGrain<ICustomerGrain>(customer.Id)
                        .AddFollowUp(new NewFollowUp(FollowUpType.Call, "reached", At: now - late), actor);
                    Assert.True(followed.Ok, followed.Error?.Message);
                    Count(rep, now - late, MetricNames.FollowUps, 1);
                }

                if (random.Next(10) < 4)
                {
                    var visited = await fixture.Grains.GetGrain<IFieldWorkGrain>(mine[random.Next(mine.Count)].Id).CheckIn(
                        new CheckInCommand(new GeoPoint(31.23, 121.47), 10, null, "phone-1", [], "met", null, Consented: true, Previous: null,
                            VisitPolicy.Default with { OutsideHoursAllowed = true }), actor);
                    Assert.True(visited.Ok, visited.Error?.Message);
                    Count(rep, now, MetricNames.Visits, 1);
                }

                await WinOrOpenAsync(rep, actor, mine[random.Next(mine.Count)], now);
                await PayOrRefundAsync(rep, actor, now);
            }

            if (day % 4 == 3)
            {
                await MergeAsync(org.Reps.ElementAt(day % 4));
            }
        }

        await AssertMetricsAsync(org, start, expected);
        // The history is rich enough to mean something: refunds, merges, and events whose local day is not the UTC one.
        Assert.True(refunds > 0 && merges > 0 && otherDayThanUtc > 10, $"refunds {refunds}, merges {merges}, other day {otherDayThanUtc}");

        async Task WinOrOpenAsync(string rep, Actor actor, Owned customer, DateTimeOffset now)
        {
            var pending = openDeals.FindIndex(d => d.Rep == rep);
            if (pending >= 0 && random.Next(2) == 0)
            {
                var deal = openDeals[pending];
                openDeals.RemoveAt(pending);
                var wonAt = now - TimeSpan.FromMinutes(random.Next(0, (int)Math.Min(10 * 60, (now - deal.OpenedAt).TotalMinutes)));
                var won = await fixture.Grains.GetGrain<ICustomerDeals>(deal.Customer).WinDeal(deal.DealId, null, wonAt, actor);
                Assert.True(won.Ok, won.Error?.Message);
                Count(rep, wonAt, MetricNames.DealsWon, 1);
                Count(rep, wonAt, MetricNames.WonAmount, won.Value!.Amount, won.Value.Currency);
                if (random.Next(3) > 0)
                {
                    var contracts = fixture.Grains.GetGrain<ICustomerContracts>(deal.Customer);
                    var signed = await contracts.SignContract(deal.DealId, new NewContract(ContractKit.NewNumber(), won.Value.Amount, now,
                        [new PlanLine(DateOnly.FromDateTime(now.UtcDateTime).AddDays(60), won.Value.Amount)]), actor);
                    Assert.True(signed.Ok, signed.Error?.Message);
                    paidContracts.Add((deal.Customer, rep, signed.Value!.Id, 0m));
                }

                return;
            }

            if (random.Next(3) == 0)
            {
                var currency = random.Next(3) == 0 ? "USD" : "CNY";
                var amount = random.Next(100_00, 5_000_000) / 100m;
                var opened = await fixture.Grains.GetGrain<ICustomerDeals>(customer.Id)
                    .OpenDeal(new NewDeal($"Deal of {rep[..4]}", amount, currency, null, null, null, null, [], null), actor);
                Assert.True(opened.Ok, opened.Error?.Message);
                openDeals.Add((customer.Id, rep, opened.Value!.Id, now));
            }
        }

        async Task PayOrRefundAsync(string rep, Actor actor, DateTimeOffset now)
        {
            var index = paidContracts.FindIndex(c => c.Rep == rep);
            if (index < 0 || random.Next(2) == 0)
            {
                return;
            }

            var contract = paidContracts[index];
            var amount = contract.Paid > 0 && random.Next(3) == 0 ? -Math.Round(contract.Paid / 3, 2) : random.Next(1_00, 500_00) / 100m;
            var receivedAt = now - TimeSpan.FromMinutes(random.Next(0, 120));
            var paid = await fixture.Grains.GetGrain<ICustomerContracts>(contract.Customer)
                .RecordPayment(contract.ContractId, new NewPayment(amount, receivedAt, "bank-transfer", null, amount < 0 ? "returned goods" : null), actor);
            Assert.True(paid.Ok, paid.Error?.Message);
            paidContracts[index] = contract with { Paid = contract.Paid + amount };
            refunds += amount < 0 ? 1 : 0;
            Count(rep, receivedAt, MetricNames.PaymentsReceived, amount, paid.Value!.Currency);
        }

        // The rep's newest customer was a duplicate of its oldest: merged away, it no longer counts as a new customer
        // on the day it was created.
        async Task MergeAsync(string rep)
        {
            var mine = customers.Where(c => c.Rep == rep).ToList();
            if (mine.Count < 2)
            {
                return;
            }

            var duplicate = mine[^1];
            var merged = await fixture.Grains.GetGrain<ICustomerGrain>(mine[0].Id).MergeFrom(duplicate.Id, "same company", MetricOrg.Admin);
            Assert.True(merged.Ok, merged.Error?.Message);
            customers.Remove(duplicate);
            openDeals.RemoveAll(d => d.Customer == duplicate.Id);
            paidContracts.RemoveAll(c => c.Customer == duplicate.Id);
            Count(rep, duplicate.CreatedAt, MetricNames.NewCustomers, -1);
            merges++;
        }
    }

    private async Task AssertMetricsAsync(MetricOrg org, DateTimeOffset start,
        Dictionary<(string Rep, DateOnly Day, string Metric, string Currency), decimal> expected)
    {
        var store = fixture.Service<MetricStore>();
        var from = DateOnly.FromDateTime(start.UtcDateTime).AddDays(-1);
        var to = DateOnly.FromDateTime(fixture.Clock.GetUtcNow().UtcDateTime).AddDays(2);
        var actual = new List<RepDayValue>();
        foreach (var metric in MetricNames.All)
        {
            actual.AddRange(await store.ReadAsync(org.Reps.ToList(), metric, from, to));
        }

        var want = expected.Where(e => e.Value != 0).OrderBy(e => e.Key.ToString(), StringComparer.Ordinal)
            .Select(e => $"{e.Key.Rep} {e.Key.Day:yyyy-MM-dd} {e.Key.Metric} {e.Key.Currency} {e.Value:0.####}").ToList();
        var got = actual.OrderBy(a => (a.RepId, a.Day, a.Metric, a.Currency).ToString(), StringComparer.Ordinal)
            .Select(a => $"{a.RepId} {a.Day:yyyy-MM-dd} {a.Metric} {a.Currency} {a.Value:0.####}").ToList();
        Assert.Equal(want, got);
        // Every metric and both currencies occurred.
        Assert.All(MetricNames.All, m => Assert.Contains(actual, a => a.Metric == m));
        Assert.Contains(actual, a => a.Currency == "USD");
        await AssertCountsOverRangesAsync(org, from, to, expected);
    }

    /// <summary>
    /// Counts over ranges (read from the week, month and quarter rows and the edge days, <see cref="CountPlan"/>) equal
    /// the events' own sums: every week, month, quarter and year the events touch, and ranges that cut through them;
    /// asked for the reps alone (an IN list) and among 70 more people (read for everyone, kept in memory).
    /// </summary>
    private async Task AssertCountsOverRangesAsync(MetricOrg org, DateOnly from, DateOnly to,
        Dictionary<(string Rep, DateOnly Day, string Metric, string Currency), decimal> expected)
    {
        var store = fixture.Service<MetricStore>();
        var days = expected.Keys.Select(k => k.Day).Distinct().ToList();
        var ranges = days.SelectMany(d => new[] { PeriodKind.Week, PeriodKind.Month, PeriodKind.Quarter, PeriodKind.Year }.Select(k => ReportPeriod.Of(k, d)))
            .Select(p => (p.From, p.To)).Distinct().ToList();
        var month = new DateOnly(from.Year, from.Month, 1);
        ranges.AddRange([(from.AddDays(2), to.AddDays(-3)), (month, from.AddDays(9)), (month.AddDays(3), month.AddMonths(1).AddDays(2)), (from.AddDays(-40), to.AddDays(40))]);
        var many = org.Reps.Concat(Enumerable.Range(0, 70).Select(i => $"nobody-{i}")).ToList();
        foreach (var metric in MetricNames.All.Where(m => !MetricNames.IsMoney(m)))
        {
            foreach (var (rangeFrom, rangeTo) in ranges)
            {
                var want = expected.Where(e => e.Key.Metric == metric && e.Key.Day >= rangeFrom && e.Key.Day < rangeTo)
                    .GroupBy(e => e.Key.Rep).Select(g => (g.Key, g.Sum(e => e.Value))).Where(g => g.Item2 != 0).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
                foreach (var people in new[] { org.Reps.ToList(), many })
                {
                    var got = (await store.SumCountsAsync(people, metric, rangeFrom, rangeTo)).Select(kv => (kv.Key, kv.Value)).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
                    Assert.True(want.SequenceEqual(got), $"{metric} {rangeFrom:yyyy-MM-dd}..{rangeTo:yyyy-MM-dd} ({people.Count} people): want {string.Join(",", want)} got {string.Join(",", got)}");
                }
            }
        }
    }
}
