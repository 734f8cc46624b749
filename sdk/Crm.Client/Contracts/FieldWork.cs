using System.ComponentModel.DataAnnotations;
namespace Crm.Client;

/// <summary>Sets a customer's location by hand. Degrees WGS 84; accuracy in metres (how far off the point may be).</summary>
public sealed record SetLocationRequest([property: Range(-90.0, 90.0)] double? Lat, [property: Range(-180.0, 180.0)] double? Lon, [property: Range(0.0, 100_000.0)] double? Accuracy = null);

/// <summary>A customer's location: where it is, where that came from (<c>manual</c>, <c>geocoder:name</c>) and how good it is.</summary>
public sealed record CustomerLocationDto(Guid CustomerId, double Lat, double Lon, string Source, double? Accuracy, DateTimeOffset SetAt);

/// <summary>A location set from the customer's address: what the geocoder matched and how precisely (address, street, district, city, province).</summary>
public sealed record GeocodedLocationDto(Guid CustomerId, double Lat, double Lon, string Source, double? Accuracy, DateTimeOffset SetAt,
    string Precision, string? MatchedName, string Address);

/// <summary>A customer near a point, with the distance to it in metres.</summary>
public sealed record NearbyCustomerDto(Guid Id, string Name, string? Company, string Stage, string PoolId, string? OwnerId,
    double Lat, double Lon, double DistanceMeters);

/// <summary>
/// A check-in at a customer. <c>deviceId</c> names the work device (location is collected only on a device the rep
/// consented for); <c>photos</c> are ids from <c>POST /api/files</c>.
/// </summary>
public sealed record CheckInRequest([property: Range(-90.0, 90.0)] double? Lat, [property: Range(-180.0, 180.0)] double? Lon, [property: Range(0.0, 100_000.0)] double? Accuracy, DateTimeOffset? At = null, [property: Required, MaxLength(100)] string? DeviceId = null,
    [property: MaxLength(10)] IReadOnlyList<string>? Photos = null, [property: MaxLength(200)] string? Outcome = null, [property: MaxLength(4000)] string? Text = null);

/// <summary>A check-out; the point is optional.</summary>
public sealed record CheckOutRequest([property: Range(-90.0, 90.0)] double? Lat = null, [property: Range(-180.0, 180.0)] double? Lon = null, DateTimeOffset? At = null);

/// <summary>
/// A visit: where the rep checked in, the distance to the customer (null when the customer has no location), the flags
/// (<c>far</c>, <c>no-customer-location</c>, <c>impossible-speed</c>, <c>outside-hours</c>; at check-out <c>too-short</c>,
/// <c>left-far</c>) and the photos.
/// </summary>
public sealed record VisitDto(string Id, Guid CustomerId, string RepId, string DeviceId, DateTimeOffset CheckedInAt, double Lat, double Lon,
    double? Accuracy, double? DistanceMeters, IReadOnlyList<string> Flags, IReadOnlyList<string> Photos, string? Outcome,
    DateTimeOffset? CheckedOutAt, double? DurationMinutes, IReadOnlyList<string> CheckOutFlags);

/// <summary>A rep grants (or withdraws) consent to location collection on one device.</summary>
public sealed record LocationConsentRequest([property: MaxLength(100)] string? DeviceId, bool? Granted);

public sealed record LocationConsentDto(string RepId, string DeviceId, bool Granted, DateTimeOffset ChangedAt);

/// <summary>Whether the reps of a unit (and of the units below it that say nothing) may check in outside working hours.</summary>
public sealed record FieldWorkSettingsRequest(bool? AllowOutsideHours);

public sealed record FieldWorkSettingsDto(string OrgUnitId, bool AllowOutsideHours, string? DecidedByUnitId);

/// <summary>An uploaded file (a visit photo): its type as sniffed from the bytes, its size and SHA-256.</summary>
public sealed record FileDto(string Id, string ContentType, long Size, string Sha256, DateTimeOffset UploadedAt, string? VisitId);

/// <summary>One stop of a rep's route, in visiting order, with the leg from the previous stop (or the start).</summary>
public sealed record RouteStopDto(int Order, Guid CustomerId, string Name, double Lat, double Lon, double LegMeters, string Reason);

/// <summary>
/// A rep's route for a day: the planned visits ordered by nearest neighbour then 2-opt from the start point, the total
/// distance, and the planned customers that have no location (not routed).
/// </summary>
public sealed record RouteDto(string RepId, DateOnly Date, double? StartLat, double? StartLon, IReadOnlyList<RouteStopDto> Stops,
    double TotalMeters, IReadOnlyList<Guid> Unlocated);
