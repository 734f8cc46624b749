namespace Crm.Grains.Visits;

/// <summary>The rep's check-in just before this one (at any customer): where the speed check starts from.</summary>
[GenerateSerializer, Immutable]
public sealed record PreviousCheckIn(DateTimeOffset At, GeoPoint Point, Guid CustomerId);
