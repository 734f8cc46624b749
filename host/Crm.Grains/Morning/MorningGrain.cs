using Crm.Grains.Calendars;

namespace Crm.Grains.Morning;

/// <summary>Check (a working day, its morning come, not done today) → run the unit's morning → remember the day.</summary>
public sealed class MorningGrain(MorningTaskGenerator generator, CalendarDirectory calendars, TimeProvider clock) : Grain, IMorningGrain
{
    private DateOnly? _done;

    private string OrgUnitId => this.GetPrimaryKeyString();

    public async Task<MorningReport> Run()
    {
        var (calendar, _) = await calendars.ForUnitAsync(OrgUnitId);
        var now = clock.GetUtcNow();
        var today = calendar.LocalDate(now);
        if (_done == today || !calendar.IsWorkingDay(today) || now < calendar.LocalMorningAt(today))
        {
            return MorningReport.Nothing(OrgUnitId);
        }

        var report = await generator.RunAsync(OrgUnitId, today, calendar);
        _done = today;
        return report;
    }
}
