using System.Globalization;
using Crm.Grains.Customers;
using Crm.Grains.Customers.Events;
using Crm.Grains.EventLog;

namespace Crm.Grains.Visits.Events;

/// <summary>The rep left the customer: how long the visit lasted and what looked wrong (too short, left from far away).</summary>
public sealed record VisitCheckedOut(
    DateTimeOffset At,
    string? ActorId,
    string VisitId,
    DateTimeOffset CheckedInAt,
    double? Lat,
    double? Lon,
    double DurationMinutes,
    IReadOnlyList<string> Flags) : CustomerEvent(At, ActorId)
{
    public override string Kind => TimelineKinds.VisitEnded;

    public override void ApplyTo(CustomerState state) => state.CheckOut(VisitId);

    public override TimelineFields Describe() => new(null, null, new()
    {
        ["visitId"] = VisitId,
        ["durationMinutes"] = Math.Round(DurationMinutes, 1).ToString(CultureInfo.InvariantCulture),
        ["flags"] = string.Join(',', Flags),
    });

    public override IEnumerable<ReadModelStatement> ReadModel(Guid customerId, CustomerState next) =>
        [FieldWorkRows.CheckOut(this)];
}
