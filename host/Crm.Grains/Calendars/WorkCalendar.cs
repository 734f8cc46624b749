namespace Crm.Grains.Calendars;

/// <summary>
/// A unit's working days in its own time zone: weekends, public holidays, and make-up working days that fall on a
/// weekend (China's 调休, Russia's transferred days). Plain and immutable, so rules over days (task due dates, morning
/// runs, sequence steps, report periods) ask it without a silo. Dates are the unit's local dates.
/// </summary>
public sealed class WorkCalendar
{
    /// <summary>How far <see cref="AddWorkingDays"/> and <see cref="NextWorkingDay"/> look before giving up (a calendar with no working day).</summary>
    private const int MaxScanDays = 3660;

    private readonly HashSet<DayOfWeek> _weekend;
    private readonly HashSet<DateOnly> _holidays;
    private readonly HashSet<DateOnly> _workdays;

    public WorkCalendar(CalendarDefinition definition)
    {
        Definition = definition;
        TimeZone = TimeZoneInfo.FindSystemTimeZoneById(definition.TimeZone);
        _weekend = definition.Weekend.ToHashSet();
        _holidays = definition.Holidays.ToHashSet();
        _workdays = definition.Workdays.ToHashSet();
    }

    /// <summary>UTC, Saturday and Sunday off, no holidays, mornings at 09:00: the calendar of a unit nobody set one for.</summary>
    public static WorkCalendar Default { get; } = new(CalendarDefinition.Default);

    public CalendarDefinition Definition { get; }

    public TimeZoneInfo TimeZone { get; }

    /// <summary>A make-up working day counts even on a weekend; a holiday never does.</summary>
    public bool IsWorkingDay(DateOnly day) =>
        _workdays.Contains(day) || (!_holidays.Contains(day) && !_weekend.Contains(day.DayOfWeek));

    /// <summary>The unit's local date and time at an instant.</summary>
    public DateTime LocalTime(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, TimeZone).DateTime;

    /// <summary>The unit's local date at an instant.</summary>
    public DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(LocalTime(instant));

    /// <summary>The instant of a local time of day on a local date (a time skipped by a clock change moves an hour later).</summary>
    public DateTimeOffset LocalAt(DateOnly day, TimeOnly time)
    {
        var local = day.ToDateTime(time, DateTimeKind.Unspecified);
        if (TimeZone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }

        return new DateTimeOffset(local, TimeZone.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>The unit's working morning (<see cref="CalendarDefinition.MorningAt"/>) on a local date.</summary>
    public DateTimeOffset LocalMorningAt(DateOnly day) => LocalAt(day, Definition.MorningAt);

    /// <summary>The first working day on or after <paramref name="day"/>.</summary>
    public DateOnly NextWorkingDay(DateOnly day)
    {
        for (var i = 0; i < MaxScanDays; i++, day = day.AddDays(1))
        {
            if (IsWorkingDay(day))
            {
                return day;
            }
        }

        throw new InvalidOperationException("The calendar has no working day in ten years.");
    }

    /// <summary>
    /// <paramref name="days"/> working days after <paramref name="from"/> (0: <paramref name="from"/> itself if it is a
    /// working day, else the next one). Negative counts go back.
    /// </summary>
    public DateOnly AddWorkingDays(DateOnly from, int days)
    {
        if (days == 0)
        {
            return NextWorkingDay(from);
        }

        var step = Math.Sign(days);
        var left = Math.Abs(days);
        var day = from;
        for (var i = 0; i < MaxScanDays * 2 && left > 0; i++)
        {
            day = day.AddDays(step);
            if (IsWorkingDay(day))
            {
                left--;
            }
        }

        return left == 0 ? day : throw new InvalidOperationException("The calendar has too few working days for that.");
    }

    /// <summary>Working days in [<paramref name="from"/>, <paramref name="to"/>): how report periods count them.</summary>
    public int WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        var count = 0;
        for (var day = from; day < to; day = day.AddDays(1))
        {
            count += IsWorkingDay(day) ? 1 : 0;
        }

        return count;
    }
}
