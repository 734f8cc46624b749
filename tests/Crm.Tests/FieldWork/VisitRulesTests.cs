using Crm.Client;
using Crm.Grains.Calendars;
using Crm.Grains.Visits;

namespace Crm.Tests.FieldWork;

/// <summary>The visit rules on a synthetic day of a rep in Shanghai: what is refused, what is flagged, and the faked location.</summary>
public sealed class VisitRulesTests
{
    private static readonly VisitPolicy Shanghai = VisitPolicy.Default with { TimeZoneId = "Asia/Shanghai" };

    // Monday 2 March 2026, local time in Shanghai (UTC+8).
    private static DateTimeOffset Local(int hour, int minute = 0, int day = 2) => new(2026, 3, day, hour, minute, 0, TimeSpan.FromHours(8));

    private static CheckInCommand At(GeoPoint point, PreviousCheckIn? previous = null, bool consented = true, VisitPolicy? policy = null) =>
        new(point, 10, null, "phone-1", [], null, null, consented, previous, policy ?? Shanghai);

    [Fact]
    public void A_day_of_visits_flags_only_the_check_in_the_rep_could_not_have_reached()
    {
        // A rep's day: four customers across Shanghai by car, then a "check-in" in Beijing 40 minutes later.
        (DateTimeOffset At, GeoPoint Point)[] day =
        [
            (Local(9, 0), new(31.2304, 121.4737)),    // People's Square
            (Local(10, 15), new(31.2243, 121.5447)),  // Lujiazui, ~7 km
            (Local(11, 40), new(31.1940, 121.3200)),  // Hongqiao, ~22 km
            (Local(14, 5), new(31.2900, 121.5000)),   // Yangpu, ~20 km
            (Local(14, 45), new(39.9042, 116.4074)),  // Beijing, 1,070 km in 40 minutes
            (Local(16, 30), new(31.2950, 121.5050)),  // back in Yangpu: the previous fix was the faked one, so this is flagged too
        ];

        var flagged = new List<int>();
        PreviousCheckIn? previous = null;
        for (var i = 0; i < day.Length; i++)
        {
            var flags = VisitRules.CheckInFlags(At(day[i].Point, previous), day[i].At, null, null);
            if (flags.Contains(VisitFlags.ImpossibleSpeed))
            {
                flagged.Add(i);
            }

            previous = new PreviousCheckIn(day[i].At, day[i].Point, Guid.NewGuid());
        }

        Assert.Equal([4, 5], flagged);
    }

    [Fact]
    public void Gps_noise_between_two_check_ins_a_minute_apart_is_not_a_teleport()
    {
        var previous = new PreviousCheckIn(Local(10), new GeoPoint(31.2304, 121.4737), Guid.NewGuid());

        Assert.False(VisitRules.IsImpossibleSpeed(previous, new GeoPoint(31.2330, 121.4790), Local(10, 1), 250));
        Assert.True(VisitRules.IsImpossibleSpeed(previous, new GeoPoint(31.3304, 121.4737), Local(10, 1), 250));
    }

    [Fact]
    public void A_check_in_far_from_the_customer_is_flagged_and_one_at_the_door_is_not()
    {
        var customer = new CustomerLocation(31.2304, 121.4737, "manual", 20, Local(8));
        var door = new GeoPoint(31.2310, 121.4740);
        var block = new GeoPoint(31.2404, 121.4737);

        var atDoor = VisitRules.CheckInFlags(At(door), Local(10), customer, GeoMath.DistanceMeters(door, customer.Point));
        var fromBlock = VisitRules.CheckInFlags(At(block), Local(10), customer, GeoMath.DistanceMeters(block, customer.Point));

        Assert.Empty(atDoor);
        Assert.Equal([VisitFlags.Far], fromBlock);
    }

    [Fact]
    public void Without_consent_the_check_in_is_refused()
    {
        var refusal = VisitRules.Refusal(At(new GeoPoint(31.23, 121.47), consented: false), Local(10));

        Assert.Equal((ErrorCodes.NoLocationConsent, 403), (refusal?.Code, refusal?.Status));
    }

    [Theory]
    [InlineData(7, 59, 2, false)]   // Monday before eight, local time
    [InlineData(8, 0, 2, true)]
    [InlineData(19, 59, 2, true)]
    [InlineData(20, 0, 2, false)]
    [InlineData(10, 0, 7, false)]   // Saturday
    public void Working_hours_are_local_to_the_business(int hour, int minute, int day, bool working)
    {
        Assert.Equal(working, VisitRules.IsWorkingTime(Local(hour, minute, day), Shanghai));
        var refusal = VisitRules.Refusal(At(new GeoPoint(31.23, 121.47)), Local(hour, minute, day));
        Assert.Equal(working ? null : ErrorCodes.OutsideWorkingHours, refusal?.Code);
    }

    [Theory]
    [InlineData(9, 0, 2, true)]     // Monday 09:00 in Moscow
    [InlineData(21, 30, 2, false)]  // Monday 21:30 in Moscow, 18:30 UTC: inside the server's UTC hours
    [InlineData(12, 0, 3, false)]   // Tuesday, a public holiday of the unit
    [InlineData(10, 0, 7, true)]    // Saturday, the unit's make-up working day
    public void A_unit_with_a_work_calendar_works_in_its_time_zone_on_its_working_days(int hour, int minute, int day, bool working)
    {
        // The server's settings say UTC, Monday to Friday; the rep's unit keeps a Moscow calendar with a holiday on
        // Tuesday 3 March 2026 and a make-up Saturday 7 March.
        var calendar = new CalendarDefinition("Europe/Moscow", [DayOfWeek.Saturday, DayOfWeek.Sunday],
            [new DateOnly(2026, 3, 3)], [new DateOnly(2026, 3, 7)], new TimeOnly(9, 0));
        var policy = VisitPolicy.Default with { Calendar = calendar };
        var moscow = new DateTimeOffset(2026, 3, day, hour, minute, 0, TimeSpan.FromHours(3));

        Assert.Equal(working, VisitRules.IsWorkingTime(moscow, policy));
        Assert.Equal(working ? null : ErrorCodes.OutsideWorkingHours, VisitRules.Refusal(At(new GeoPoint(55.75, 37.62), policy: policy), moscow)?.Code);
    }

    [Fact]
    public void Outside_hours_is_a_flag_where_the_unit_allows_it()
    {
        var allowed = Shanghai with { OutsideHoursAllowed = true };

        Assert.Null(VisitRules.Refusal(At(new GeoPoint(31.23, 121.47), policy: allowed), Local(21)));
        Assert.Contains(VisitFlags.OutsideHours, VisitRules.CheckInFlags(At(new GeoPoint(31.23, 121.47), policy: allowed), Local(21), null, null));
    }

    [Fact]
    public void A_visit_shorter_than_the_minimum_is_flagged_at_check_out()
    {
        var open = new OpenVisit("v1", "rep-1", Local(10), new GeoPoint(31.23, 121.47));
        var checkOut = new CheckOutCommand(null, null, Shanghai);

        Assert.Equal([VisitFlags.TooShort], VisitRules.CheckOutFlags(checkOut, open, Local(10, 3), null));
        Assert.Empty(VisitRules.CheckOutFlags(checkOut, open, Local(10, 30), null));
    }
}
