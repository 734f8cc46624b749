using System.Globalization;
using Crm.Grains.Calendars;
using Crm.Grains.Common;
using Crm.Grains.Org;
using Crm.Grains.Reps;
using Crm.Grains.Tasks;
using Microsoft.Extensions.Options;

namespace Crm.Grains.Morning;

/// <summary>
/// One unit's morning: finds every reason its members' customers give today (overdue instalments, recycle deadlines
/// coming, occasions) and makes one task per reason, assigned to the owner with the reason in its notes. A reason's
/// task id comes from the reason itself, and a task grain asked to create a task it has answers it as it is, so running
/// the morning again (a second silo, a restart, the same day twice) makes no second task.
/// </summary>
public sealed class MorningTaskGenerator(MorningSources sources, OrgTreeCache tree, IGrainFactory grains, IOptions<MorningOptions> options,
    TimeProvider clock, Rfm.RepurchaseMorning repurchase)
{
    private const int TasksInFlight = 32;

    public async Task<MorningReport> RunAsync(string orgUnitId, DateOnly today, WorkCalendar calendar)
    {
        var owners = (await tree.MembersOf(orgUnitId)).Select(m => m.UserId).Order(StringComparer.Ordinal).ToList();
        if (owners.Count == 0)
        {
            return new MorningReport(orgUnitId, today, 0, 0, 0);
        }

        var now = clock.GetUtcNow();
        var reasons = new List<MorningReason>();
        reasons.AddRange((await sources.OverdueAsync(owners, now)).Select(r => MorningRules.Overdue(r.OwnerId, Guid.Parse(r.CustomerId), r.Name,
            r.ContractId, r.Number, r.InstalmentNo, r.DueDate, r.OpenE4 / 10_000m, r.Currency)));
        reasons.AddRange(await DropsAsync(owners, calendar, today, now));
        reasons.AddRange(await repurchase.ReasonsAsync(owners, today));
        var days = MorningRules.OccasionDays(calendar, today);
        foreach (var row in await sources.OccasionsAsync(owners, options.Value.OccasionFields, MorningRules.MonthDays(days)))
        {
            if (DateOnly.TryParseExact(row.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var original)
                && MorningRules.OccasionOn(original, days) is { } on)
            {
                reasons.Add(MorningRules.Occasion(row.OwnerId, Guid.Parse(row.CustomerId), row.Name, row.FieldKey, original, on));
            }
        }

        var unique = reasons.DistinctBy(r => r.Key).ToList();
        var dueAt = MorningRules.DueAt(calendar, today);
        var created = 0;
        foreach (var batch in unique.Chunk(TasksInFlight))
        {
            created += (await Task.WhenAll(batch.Select(r => CreateAsync(r, orgUnitId, dueAt)))).Count(c => c);
        }

        await CloseGoneDropsAsync(owners);
        return new MorningReport(orgUnitId, today, unique.Count, created, owners.Count);
    }

    /// <summary>
    /// A drop task's reason is gone once its customer left the rep (dropped, released, handed over): the rep can no longer
    /// follow it up, so the task is cancelled rather than left open and overdue in the rep's to-do for ever.
    /// </summary>
    private async Task CloseGoneDropsAsync(IReadOnlyList<string> owners)
    {
        foreach (var batch in (await sources.GoneDropTasksAsync(owners)).Chunk(TasksInFlight))
        {
            await Task.WhenAll(batch.Select(id => grains.GetGrain<ITaskGrain>(id).Cancel(Actor.System)));
        }
    }

    /// <summary>Customers whose recycle deadline comes before the working morning <c>DropWithinWorkingDays</c> ahead, from each rep's grain.</summary>
    private async Task<IReadOnlyList<MorningReason>> DropsAsync(IReadOnlyList<string> owners, WorkCalendar calendar, DateOnly today, DateTimeOffset now)
    {
        var until = calendar.LocalMorningAt(calendar.AddWorkingDays(today, options.Value.DropWithinWorkingDays));
        var days = Math.Max(0, (until - now).TotalDays);
        var due = new List<(string Rep, DueEntry Entry)>();
        foreach (var batch in owners.Chunk(TasksInFlight))
        {
            var lists = await Task.WhenAll(batch.Select(async rep => (rep, await grains.GetGrain<IRepGrain>(rep).GetDue(days))));
            due.AddRange(lists.SelectMany(l => l.Item2.Where(e => e.DropsAt < until).Select(e => (l.rep, e))));
        }

        var names = await sources.NamesAsync(due.Select(d => d.Entry.CustomerId).Distinct().ToList());
        return due.Select(d => MorningRules.Drop(d.Rep, d.Entry.CustomerId, names.GetValueOrDefault(d.Entry.CustomerId), d.Entry.PoolId, d.Entry.DropsAt,
            calendar.LocalTime(d.Entry.DropsAt).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), d.Entry.Rule, d.Entry.Reason)).ToList();
    }

    /// <summary>True when this call made the task (false: the reason's task was there already).</summary>
    private async Task<bool> CreateAsync(MorningReason reason, string orgUnitId, DateTimeOffset dueAt)
    {
        var task = grains.GetGrain<ITaskGrain>(MorningRules.TaskId(reason.Key));
        if (await task.Get() is not null)
        {
            return false;
        }

        var made = await task.Create(new NewTask(reason.Title, reason.Kind, null, reason.Notes, orgUnitId, dueAt,
            [new TaskAssignment(reason.RepId, [reason.CustomerId])]), Actor.System);
        return made.Ok;
    }
}
