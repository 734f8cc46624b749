using Crm.Client;
using Crm.Grains.Calendars;
using Crm.Grains.Common;

namespace Crm.Grains.Visits;

/// <summary>
/// The rules of a visit as plain functions: what refuses a check-in (no consent on the device; outside working
/// hours where the unit does not allow it) and what flags it (far from the customer, an impossible speed since the
/// rep's previous check-in, outside hours where allowed, too short at check-out).
/// </summary>
public static class VisitRules
{
    public static CrmError? Refusal(CheckInCommand command, DateTimeOffset at)
    {
        if (!command.Consented)
        {
            return new CrmError(ErrorCodes.NoLocationConsent,
                $"No location consent is recorded for this rep on device '{command.DeviceId}'; location is collected only with consent.", 403);
        }

        if (!command.Policy.OutsideHoursAllowed && !IsWorkingTime(at, command.Policy))
        {
            return CrmError.Conflict(ErrorCodes.OutsideWorkingHours,
                "Location is collected only in working hours, and this unit does not allow visits outside them.",
                new() { ["at"] = at.ToString("O") });
        }

        return null;
    }

    public static List<string> CheckInFlags(CheckInCommand command, DateTimeOffset at, CustomerLocation? customer, double? distanceMeters)
    {
        var flags = new List<string>();
        if (customer is null)
        {
            flags.Add(VisitFlags.NoCustomerLocation);
        }
        else if (distanceMeters > command.Policy.FarMeters)
        {
            flags.Add(VisitFlags.Far);
        }

        if (command.Previous is { } previous && IsImpossibleSpeed(previous, command.Point, at, command.Policy.MaxSpeedKmh))
        {
            flags.Add(VisitFlags.ImpossibleSpeed);
        }

        if (!IsWorkingTime(at, command.Policy))
        {
            flags.Add(VisitFlags.OutsideHours);
        }

        return flags;
    }

    public static List<string> CheckOutFlags(CheckOutCommand command, OpenVisit visit, DateTimeOffset at, CustomerLocation? customer)
    {
        var flags = new List<string>();
        if ((at - visit.At).TotalMinutes < command.Policy.MinVisitMinutes)
        {
            flags.Add(VisitFlags.TooShort);
        }

        if (command.Point is { } point && customer is not null && GeoMath.DistanceMeters(point, customer.Point) > command.Policy.FarMeters)
        {
            flags.Add(VisitFlags.LeftFar);
        }

        return flags;
    }

    /// <summary>
    /// Faster than <paramref name="maxKmh"/> between two check-ins. The first kilometre is free: two fixes a few
    /// hundred metres apart a minute apart are GPS noise, not a teleport.
    /// </summary>
    public static bool IsImpossibleSpeed(PreviousCheckIn previous, GeoPoint point, DateTimeOffset at, double maxKmh)
    {
        var km = GeoMath.DistanceMeters(previous.Point, point) / 1000;
        if (km <= 1)
        {
            return false;
        }

        var hours = Math.Abs((at - previous.At).TotalHours);
        return hours == 0 || km / hours > maxKmh;
    }

    /// <summary>
    /// Within the working hours of a working day. A rep whose unit keeps a work calendar works in that calendar's time
    /// zone and on its working days (its holidays off, its make-up days on), as its metrics and reports count days.
    /// </summary>
    public static bool IsWorkingTime(DateTimeOffset at, VisitPolicy policy)
    {
        var calendar = policy.Calendar is { } definition ? new WorkCalendar(definition) : null;
        var local = TimeZoneInfo.ConvertTime(at, calendar?.TimeZone ?? TimeZoneInfo.FindSystemTimeZoneById(policy.TimeZoneId));
        var workingDay = calendar?.IsWorkingDay(DateOnly.FromDateTime(local.DateTime)) ?? policy.WorkDays.Contains(local.DayOfWeek);
        var minute = local.Hour * 60 + local.Minute;
        return workingDay && minute >= policy.WorkdayStartMinute && minute < policy.WorkdayEndMinute;
    }
}
