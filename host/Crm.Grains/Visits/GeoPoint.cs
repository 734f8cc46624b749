namespace Crm.Grains.Visits;

/// <summary>A point on the earth in WGS 84 degrees.</summary>
[GenerateSerializer, Immutable]
public sealed record GeoPoint(double Lat, double Lon);
