using System.Globalization;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Customers.Events;
using Crm.Grains.EventLog;

namespace Crm.Grains.Visits.Events;

/// <summary>The customer's location was set: by hand, by a geocoder, or corrected after a visit.</summary>
public sealed record LocationSet(DateTimeOffset At, string? ActorId, double Lat, double Lon, string Source, double? AccuracyMeters)
    : CustomerEvent(At, ActorId)
{
    public override string Kind => TimelineKinds.LocationSet;

    public override void ApplyTo(CustomerState state) => state.Location = new CustomerLocation(Lat, Lon, Source, AccuracyMeters, At);

    public override TimelineFields Describe() => new(null, null, new()
    {
        ["lat"] = Lat.ToString(CultureInfo.InvariantCulture),
        ["lon"] = Lon.ToString(CultureInfo.InvariantCulture),
        ["source"] = Source,
        ["accuracyMeters"] = AccuracyMeters?.ToString(CultureInfo.InvariantCulture),
    });

    public override IEnumerable<ReadModelStatement> ReadModel(Guid customerId, CustomerState next) =>
        [FieldWorkRows.Location(customerId, next.Location!, next.Version)];
}
