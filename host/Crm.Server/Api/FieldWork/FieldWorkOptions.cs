using System.ComponentModel.DataAnnotations;
using Crm.Grains.Calendars;
using Crm.Grains.Visits;

namespace Crm.Server.Api.FieldWork;

/// <summary>The field-work settings (<c>Crm:FieldWork</c>): what flags a visit, working hours, photo limits.</summary>
public sealed class FieldWorkOptions : IValidatableObject
{
    public const string Section = "Crm:FieldWork";

    /// <summary>A check-in farther than this from the customer is flagged <c>far</c>.</summary>
    [Range(10, 100_000)] public double FarMeters { get; set; } = 500;

    /// <summary>A visit checked out sooner than this is flagged <c>too-short</c>.</summary>
    [Range(0, 1440)] public double MinVisitMinutes { get; set; } = 5;

    /// <summary>Travelling faster than this between a rep's consecutive check-ins flags <c>impossible-speed</c>.</summary>
    [Range(10, 2000)] public double MaxSpeedKmh { get; set; } = 250;

    /// <summary>Working hours, local time in the rep's unit calendar (else <see cref="TimeZone"/>), as HH:mm.</summary>
    public string WorkdayStart { get; set; } = "08:00";

    public string WorkdayEnd { get; set; } = "20:00";

    public List<DayOfWeek> WorkDays { get; set; } = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    /// <summary>An IANA or Windows time-zone id (e.g. Asia/Shanghai) for working hours of reps whose unit keeps no work calendar, and for a route's day.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>The largest photo accepted by <c>POST /api/files</c>.</summary>
    [Range(1024, 50 * 1024 * 1024)] public int MaxFileBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>The geocoder plugin used by <c>POST /api/customers/{id}/location/geocode</c>.</summary>
    public string Geocoder { get; set; } = "china-divisions";

    /// <summary>The geocoder's own settings (e.g. a service's URL and key), handed to it with each request.</summary>
    public Dictionary<string, string> GeocoderSettings { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Real time one geocoding may take before it counts as failed (503 <c>geocoder-unavailable</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:02:00")]
    public TimeSpan GeocodeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    /// <summary>
    /// The policy a check-in is judged by, for a unit that does or does not allow visits outside working hours, and
    /// the work calendar the rep's unit keeps (null: none is set, so <see cref="TimeZone"/> and <see cref="WorkDays"/>).
    /// </summary>
    public VisitPolicy Policy(bool outsideHoursAllowed, CalendarDefinition? calendar = null) => new(FarMeters, MinVisitMinutes, MaxSpeedKmh,
        Minutes(WorkdayStart), Minutes(WorkdayEnd), WorkDays, TimeZone, outsideHoursAllowed, calendar);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!TimeOnly.TryParse(WorkdayStart, out var start) || !TimeOnly.TryParse(WorkdayEnd, out var end) || end <= start)
        {
            yield return new ValidationResult("WorkdayStart and WorkdayEnd must be HH:mm with the end after the start.", [nameof(WorkdayStart)]);
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            yield return new ValidationResult($"Unknown time zone '{TimeZone}'.", [nameof(TimeZone)]);
        }
    }

    private static int Minutes(string hhmm) => TimeOnly.Parse(hhmm) is var t ? t.Hour * 60 + t.Minute : 0;
}
