namespace Crm.Grains.Visits;

/// <summary>A visit as the grain answers it; the API maps it to its wire record.</summary>
[GenerateSerializer, Immutable]
public sealed record VisitRecord(
    string VisitId,
    Guid CustomerId,
    string RepId,
    DateTimeOffset CheckedInAt,
    GeoPoint Point,
    double? AccuracyMeters,
    double? DistanceMeters,
    IReadOnlyList<string> Flags,
    IReadOnlyList<string> Photos,
    DateTimeOffset? CheckedOutAt = null,
    double? DurationMinutes = null,
    IReadOnlyList<string>? CheckOutFlags = null);
