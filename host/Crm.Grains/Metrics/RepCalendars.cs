using System.Collections.Concurrent;
using Crm.Grains.Calendars;
using Crm.Grains.Org;

namespace Crm.Grains.Metrics;

/// <summary>
/// The work calendar of a rep: the one of the rep's org unit (<see cref="CalendarDirectory"/>), the default for someone
/// outside the tree. <see cref="Latest"/> answers synchronously what the last <see cref="ForRepAsync"/> found, which is
/// how the metrics projection, prepared just before, dates an event in the rep's time zone.
/// </summary>
public sealed class RepCalendars(OrgTreeCache tree, CalendarDirectory calendars)
{
    private readonly ConcurrentDictionary<string, WorkCalendar> _latest = new(StringComparer.Ordinal);

    public async ValueTask<WorkCalendar> ForRepAsync(string repId)
    {
        var member = await tree.Member(repId);
        var (calendar, _) = await calendars.ForUnitAsync(member?.OrgUnitId);
        _latest[repId] = calendar;
        return calendar;
    }

    public WorkCalendar Latest(string repId) => _latest.GetValueOrDefault(repId) ?? WorkCalendar.Default;
}
