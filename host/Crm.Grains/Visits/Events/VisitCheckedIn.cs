using System.Globalization;
using Crm.Grains.Customers;
using Crm.Grains.Customers.Events;
using Crm.Grains.EventLog;

namespace Crm.Grains.Visits.Events;

/// <summary>
/// A rep checked in at the customer: where the phone was, how far that is from the customer, and what looked wrong
/// (<see cref="VisitFlags"/>). A visit is a follow-up: it restarts the follow-up and the visit recycle clocks.
/// </summary>
public sealed record VisitCheckedIn(
    DateTimeOffset At,
    string? ActorId,
    string VisitId,
    double Lat,
    double Lon,
    double? AccuracyMeters,
    double? DistanceMeters,
    IReadOnlyList<string> Flags,
    IReadOnlyList<string> Photos,
    string DeviceId,
    string? Outcome,
    string? Text) : CustomerEvent(At, ActorId)
{
    public override string Kind => TimelineKinds.Visit;

    public override void ApplyTo(CustomerState state)
    {
        if (state.LastFollowUpAt is null || At > state.LastFollowUpAt)
        {
            state.LastFollowUpAt = At;
        }

        if (state.LastVisitAt is null || At > state.LastVisitAt)
        {
            state.LastVisitAt = At;
        }

        state.CheckIn(new OpenVisit(VisitId, ActorId ?? "", At, new GeoPoint(Lat, Lon)));
    }

    public override TimelineFields Describe() => new(null, Text, new()
    {
        ["type"] = "visit",
        ["visitId"] = VisitId,
        ["outcome"] = Outcome,
        ["lat"] = Lat.ToString(CultureInfo.InvariantCulture),
        ["lon"] = Lon.ToString(CultureInfo.InvariantCulture),
        ["accuracyMeters"] = AccuracyMeters?.ToString(CultureInfo.InvariantCulture),
        ["distanceMeters"] = DistanceMeters is { } d ? Math.Round(d).ToString(CultureInfo.InvariantCulture) : null,
        ["flags"] = string.Join(',', Flags),
        ["photos"] = string.Join(',', Photos),
    });

    public override IEnumerable<ReadModelStatement> ReadModel(Guid customerId, CustomerState next) =>
        FieldWorkRows.CheckIn(customerId, this);
}
