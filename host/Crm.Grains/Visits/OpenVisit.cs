namespace Crm.Grains.Visits;

/// <summary>A visit checked in and not yet checked out: what the check-out needs (who, when, where).</summary>
[GenerateSerializer, Immutable]
public sealed record OpenVisit(string VisitId, string RepId, DateTimeOffset At, GeoPoint Point);
