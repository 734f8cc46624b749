using Crm.Grains.Common;
using Crm.Client;
using Crm.Grains.Calendars;
using Crm.Grains.Org;

namespace Crm.Grains.DailyReports;

/// <summary>Check (a working day, its report time come, not done today) → generate each rep's report → remember the day.</summary>
public sealed class DailyReportGrain(DailyReportGenerator generator, DailyReportSettings settings, CalendarDirectory calendars, OrgTreeCache tree,
    TimeProvider clock) : Grain, IDailyReportGrain
{
    private DateOnly? _done;

    private string OrgUnitId => this.GetPrimaryKeyString();

    public async Task<DailyReportRun> Run()
    {
        var (calendar, _) = await calendars.ForUnitAsync(OrgUnitId);
        var (time, _) = await settings.ForUnitAsync(OrgUnitId);
        var now = clock.GetUtcNow();
        var today = calendar.LocalDate(now);
        if (_done == today || !calendar.IsWorkingDay(today) || now < calendar.LocalAt(today, time))
        {
            return DailyReportRun.Nothing(OrgUnitId);
        }

        var reps = (await tree.MembersOf(OrgUnitId)).Where(m => m.Role == UserRole.Rep).Select(m => m.UserId).Order(StringComparer.Ordinal).ToList();
        var stored = 0;
        foreach (var rep in reps)
        {
            stored += (await generator.GenerateAsync(rep, today)).Made ? 1 : 0;
        }

        _done = today;
        return new DailyReportRun(OrgUnitId, today, reps.Count, stored);
    }
}
