namespace Crm.Grains.Visits;

/// <summary>
/// A check-in as the API validated it, with what the customer grain cannot know itself: whether the rep consented to
/// location on this device, the rep's previous check-in, and the policy of the rep's unit.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CheckInCommand(
    GeoPoint Point,
    double? AccuracyMeters,
    DateTimeOffset? At,
    string DeviceId,
    IReadOnlyList<string> Photos,
    string? Outcome,
    string? Text,
    bool Consented,
    PreviousCheckIn? Previous,
    VisitPolicy Policy);

/// <summary>A check-out; the point is optional (a phone without a fix may still end the visit).</summary>
[GenerateSerializer, Immutable]
public sealed record CheckOutCommand(GeoPoint? Point, DateTimeOffset? At, VisitPolicy Policy);
