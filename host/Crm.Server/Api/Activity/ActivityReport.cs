using Crm.Client;
using Crm.Grains.Activity;
using Crm.Grains.Calendars;

namespace Crm.Server.Api.Activity;

/// <summary>
/// Each rep's calls, visits and notes per working day of its own unit calendar (so holidays and make-up working days
/// count as the rep's unit keeps them), with its deals won and lost, and the seed-002 comparison: reps ordered by visits
/// per working day, split in halves, their conversion side by side.
/// </summary>
public static class ActivityReport
{
    public static readonly string[] Measures =
        [ActivityMeasures.FollowUp, ActivityMeasures.CheckIn, ActivityMeasures.Note, ActivityMeasures.Won, ActivityMeasures.Lost];

    private const string Call = "call";
    private const string Visit = "visit";

    public static ActivityReportDto Build(string scope, string? scopeId, DateOnly from, DateOnly to, IReadOnlyList<ActivityRow> rows,
        IReadOnlyDictionary<string, WorkCalendar> calendars)
    {
        var reps = calendars.Keys.Order(StringComparer.Ordinal).Select(rep => Rep(rep, from, to, rows.Where(r => r.RepId == rep).ToList(), calendars[rep])).ToList();
        var ordered = reps.OrderByDescending(r => r.VisitsPerWorkingDay ?? 0).ThenBy(r => r.RepId, StringComparer.Ordinal).ToList();
        var many = (ordered.Count + 1) / 2;
        return new ActivityReportDto(scope, scopeId, from, to, reps, new VisitsComparisonDto(Group(ordered.Take(many).ToList()), Group(ordered.Skip(many).ToList())));
    }

    private static ActivityRepDto Rep(string rep, DateOnly from, DateOnly to, IReadOnlyList<ActivityRow> rows, WorkCalendar calendar)
    {
        static bool IsCall(ActivityRow r) => r.Measure == ActivityMeasures.FollowUp && r.Detail == Call;
        static bool IsVisit(ActivityRow r) => (r.Measure == ActivityMeasures.FollowUp && r.Detail == Visit) || r.Measure == ActivityMeasures.CheckIn;
        static bool IsNote(ActivityRow r) => r.Measure == ActivityMeasures.Note;
        static int Count(IEnumerable<ActivityRow> rows, Func<ActivityRow, bool> which) => (int)rows.Where(which).Sum(r => r.Count);

        var workingDays = calendar.WorkingDaysBetween(from, to.AddDays(1));
        var (calls, visits, notes) = (Count(rows, IsCall), Count(rows, IsVisit), Count(rows, IsNote));
        var won = Count(rows, r => r.Measure == ActivityMeasures.Won);
        var lost = Count(rows, r => r.Measure == ActivityMeasures.Lost);
        var byType = rows.Where(r => r.Measure == ActivityMeasures.FollowUp).GroupBy(r => r.Detail)
            .ToDictionary(g => g.Key, g => (int)g.Sum(r => r.Count), StringComparer.Ordinal);
        var days = rows.Where(r => IsCall(r) || IsVisit(r) || IsNote(r)).GroupBy(r => r.Day).OrderBy(g => g.Key)
            .Select(g => new ActivityDayDto(g.Key, calendar.IsWorkingDay(g.Key), Count(g, IsCall), Count(g, IsVisit), Count(g, IsNote)))
            .ToList();
        return new ActivityRepDto(rep, workingDays, calls, visits, notes, Count(rows, r => r.Measure == ActivityMeasures.CheckIn), byType,
            PerDay(calls, workingDays), PerDay(visits, workingDays), PerDay(notes, workingDays), won, lost, FunnelReport.Ratio(won, won + lost), days);
    }

    private static VisitsGroupDto Group(IReadOnlyList<ActivityRepDto> reps)
    {
        var (won, lost) = (reps.Sum(r => r.Won), reps.Sum(r => r.Lost));
        return new VisitsGroupDto(reps.Select(r => r.RepId).ToList(), PerDay(reps.Sum(r => r.Visits), reps.Sum(r => r.WorkingDays)), won, lost,
            FunnelReport.Ratio(won, won + lost));
    }

    private static decimal? PerDay(int count, int workingDays) =>
        workingDays == 0 ? null : Math.Round((decimal)count / workingDays, 2, MidpointRounding.AwayFromZero);
}
