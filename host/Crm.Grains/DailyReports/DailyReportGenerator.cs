using System.Globalization;
using Crm.Client;
using Crm.Grains.Calendars;
using Crm.Grains.Common;
using Crm.Grains.Metrics;
using Crm.Grains.Money;
using Crm.Grains.Org;
using Crm.Grains.Push;
using Microsoft.Extensions.Options;

namespace Crm.Grains.DailyReports;

/// <summary>
/// Makes one rep's report for one local day from the projections (<see cref="DailyReportSources"/>), and stores it once:
/// the store keeps the first generation of a (rep, day), and only the call that stored it pushes
/// <see cref="DailyReportReady"/> (to the rep and the managers of its unit and above), keyed by the report, so two
/// silos or two runs make one report and one message each.
/// </summary>
public sealed class DailyReportGenerator(DailyReportSources sources, DailyReportStore store, RepCalendars calendars, OrgTreeCache tree,
    RateCatalog rates, IGrainFactory grains, IOptions<DailyReportOptions> options, TimeProvider clock)
{
    private const int MaxTasks = 500;

    /// <summary>The stored report of the day, generating and storing it first when there is none (Made: this call stored it).</summary>
    public async Task<(StoredDailyReport Report, bool Made)> GenerateAsync(string repId, DateOnly day)
    {
        var id = DailyReportStore.IdOf(repId, day);
        if (await store.GetAsync(id) is { } stored)
        {
            return (stored, false);
        }

        var calendar = await calendars.ForRepAsync(repId);
        var unit = (await tree.Member(repId))?.OrgUnitId;
        var now = clock.GetUtcNow();
        var figures = await FiguresAsync(repId, day, calendar);
        var made = await store.InsertAsync(repId, day, unit, now, figures);
        if (made)
        {
            var ready = EventPublisher.ToMessage(new DailyReportReady(id, now, repId, day)) with { Key = $"daily-report-ready:{id}" };
            List<string> channels = [PushChannels.Rep(repId)];
            if (unit is not null)
            {
                channels.Add(PushChannels.Unit(unit));
            }

            await Task.WhenAll(channels.Select(c => grains.GetGrain<IPushChannelGrain>(c).Route(ready)));
        }

        return ((await store.GetAsync(id))!, made);
    }

    /// <summary>The figures of a rep's local day as the projections have them now.</summary>
    public async Task<DailyFiguresDto> FiguresAsync(string repId, DateOnly day, WorkCalendar calendar)
    {
        var now = clock.GetUtcNow();
        var from = calendar.LocalAt(day, TimeOnly.MinValue);
        var to = calendar.LocalAt(day.AddDays(1), TimeOnly.MinValue);
        var asOf = now < to ? now : to;
        var next = calendar.NextWorkingDay(day.AddDays(1));
        var nextEnd = calendar.LocalAt(next.AddDays(1), TimeOnly.MinValue);
        var dayText = DailyReportStore.Day(day);

        var metrics = await sources.MetricsAsync(repId, dayText);
        int Count(string metric) => (int)(metrics.Where(m => m.Metric == metric).Sum(m => m.ValueE4) / 10_000);
        IReadOnlyList<MoneyAmountDto> Money(string metric) => metrics.Where(m => m.Metric == metric && m.ValueE4 != 0)
            .GroupBy(m => m.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new MoneyAmountDto(g.Key, g.Sum(m => m.ValueE4) / 10_000m)).ToList();

        var notes = await sources.NotesAsync(repId, dayText);
        var followUps = (await sources.FollowUpsAsync(repId, dayText)).Select(f => new FollowUpCountDto(f.Type, f.Outcome, (int)f.Count)).ToList();
        var newTasks = (await sources.NewTasksAsync(repId, from, to)).Take(MaxTasks).Select(ToTask).ToList();
        var overdue = (await sources.OverdueTasksAsync(repId, asOf)).Take(MaxTasks).Select(ToTask).ToList();
        var due = await DueNextAsync(repId, to, nextEnd, day.AddDays(1), next);
        var (lights, counts) = await LightsAsync(repId, asOf);
        var table = await rates.GetAsync();
        var won = Money(MetricNames.WonAmount);
        var paid = Money(MetricNames.PaymentsReceived);
        return new DailyFiguresDto(asOf, Count(MetricNames.NewCustomers), Count(MetricNames.FollowUps), followUps, Count(MetricNames.DealsWon),
            won, paid, newTasks, overdue, next, due, lights, counts, InBase(won, table, day), InBase(paid, table, day),
            Count(MetricNames.Visits), notes);
    }

    /// <summary>The amounts in the base currency at the rate in force on the day; a currency without one is named, not counted.</summary>
    private static MoneyTotalDto InBase(IReadOnlyList<MoneyAmountDto> amounts, RateTable table, DateOnly day)
    {
        var total = 0m;
        var missing = new List<string>();
        foreach (var a in amounts)
        {
            if (table.ToBase(a.Amount, a.Currency, day) is { } inBase)
            {
                total += inBase;
            }
            else
            {
                missing.Add(a.Currency);
            }
        }

        return new MoneyTotalDto(table.BaseCurrency, total, missing);
    }

    /// <summary>Everything due from the end of the day to the end of the next working day (days off between included).</summary>
    private async Task<IReadOnlyList<DueItemDto>> DueNextAsync(string repId, DateTimeOffset from, DateTimeOffset to, DateOnly firstDay, DateOnly lastDay)
    {
        var items = new List<DueItemDto>();
        items.AddRange((await sources.DueTasksAsync(repId, from, to)).Take(MaxTasks).Select(t => new DueItemDto("task", t.TaskId, Guid.Parse(t.CustomerId), null,
            t.Title, UnixTime.FromMs(t.DueMs), null, null, null)));
        items.AddRange((await sources.RemindersAsync(repId, from, to)).Take(MaxTasks).Select(r => new DueItemDto("followUp", r.CustomerId, Guid.Parse(r.CustomerId),
            r.Name, $"Follow up {r.Name}", UnixTime.FromMs(r.DueMs), null, null, null)));
        items.AddRange((await sources.InstalmentsDueAsync(repId, DailyReportStore.Day(firstDay), DailyReportStore.Day(lastDay))).Take(MaxTasks)
            .Select(i => new DueItemDto("instalment", $"{i.ContractId}#{i.InstalmentNo}", Guid.Parse(i.CustomerId), i.Name,
                $"Instalment {i.InstalmentNo} of contract {i.Number}", null,
                DateOnly.ParseExact(i.DueDate, "yyyy-MM-dd", CultureInfo.InvariantCulture), i.OpenE4 / 10_000m, i.Currency)));
        return items;
    }

    /// <summary>A light per active customer, judged against its pool's limits; red first, at most <c>MaxCustomers</c> listed.</summary>
    private async Task<(IReadOnlyList<CustomerLightDto> Lights, LightCountsDto Counts)> LightsAsync(string repId, DateTimeOffset asOf)
    {
        var o = options.Value;
        var customers = await sources.ActiveCustomersAsync(repId);
        var rules = await sources.PoolRulesAsync(customers.Select(c => c.PoolId).ToList());
        var overdue = (await sources.InstalmentsOverdueAsync(repId, asOf))
            .GroupBy(i => i.CustomerId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var lights = new List<CustomerLightDto>();
        var asOfMs = UnixTime.ToMs(asOf);
        // A report made after its day (first asked later) lists what the rep had by the day's end, not what came since.
        foreach (var c in customers.Where(c => c.CreatedMs <= asOfMs && (c.OwnedMs ?? c.CreatedMs) <= asOfMs))
        {
            var pool = rules.GetValueOrDefault(c.PoolId);
            var contact = Math.Max(c.LastFollowUpMs ?? long.MinValue, c.OwnedMs ?? c.CreatedMs);
            var moved = c.MovedMs ?? c.CreatedMs;
            var late = overdue.GetValueOrDefault(c.Id);
            var facts = new LightFacts(TrafficLight.DaysBetween(UnixTime.FromMs(contact), asOf), TrafficLight.DaysBetween(UnixTime.FromMs(moved), asOf),
                late is null ? null : $"instalment {late.InstalmentNo} of contract {late.Number} was due {late.DueDate}, " +
                    $"{(late.OpenE4 / 10_000m).ToString("0.##", CultureInfo.InvariantCulture)} {late.Currency} still open",
                pool?.RecycleAfterDaysWithoutFollowUp ?? o.FollowUpDays, pool?.RecycleAfterDaysWithoutDeal ?? o.StageDays);
            var (light, reason) = TrafficLight.Judge(facts, o.RedWithinDays);
            lights.Add(new CustomerLightDto(Guid.Parse(c.Id), c.Name, c.Stage, c.PoolId, light, reason, facts.DaysSinceContact, facts.DaysSinceMove));
        }

        var listed = lights.OrderBy(l => TrafficLight.Rank(l.Light)).ThenByDescending(l => l.DaysSinceContact).ThenBy(l => l.CustomerId)
            .Take(o.MaxCustomers).ToList();
        return (listed, new LightCountsDto(lights.Count(l => l.Light == TrafficLight.Green), lights.Count(l => l.Light == TrafficLight.Yellow),
            lights.Count(l => l.Light == TrafficLight.Red), listed.Count));
    }

    private static DailyTaskDto ToTask(DailyReportSources.TaskRow t) =>
        new(t.TaskId, t.Title, t.Kind, Guid.Parse(t.CustomerId), UnixTime.FromMs(t.DueMs), t.Status);
}
