using System.Globalization;
using Crm.Grains.Visits;
using Crm.Server.Api.Common;

namespace Crm.Server.Api.FieldWork;

/// <summary>The field checks of coordinates, shared by every field-work route: ranges, (0, 0), accuracy bounds.</summary>
public static class GeoInput
{
    /// <summary>Accuracy above this is no location at all (a country's centroid).</summary>
    public const double MaxAccuracyMeters = 100_000;

    public static Validation Point(this Validation validation, double? lat, double? lon, string latField = "lat", string lonField = "lon")
    {
        validation.Check(lat is not null, latField, $"'{latField}' is required.")
            .Check(lon is not null, lonField, $"'{lonField}' is required.");
        if (lat is { } la && lon is { } lo)
        {
            validation.Check(double.IsFinite(la) && la is >= -90 and <= 90, latField, "Latitude must be between -90 and 90.")
                .Check(double.IsFinite(lo) && lo is >= -180 and <= 180, lonField, "Longitude must be between -180 and 180.")
                .Check(!(la == 0 && lo == 0), latField, "0,0 is the 'no fix' value of a phone, not a place.");
        }

        return validation;
    }

    public static Validation Accuracy(this Validation validation, double? accuracy, string field = "accuracy") =>
        validation.Check(accuracy is null || (double.IsFinite(accuracy.Value) && accuracy is >= 0 and <= MaxAccuracyMeters),
            field, $"Accuracy is metres between 0 and {MaxAccuracyMeters:0}.");

    /// <summary>A number from the query string; a missing one is null, a malformed one a field error.</summary>
    public static double? Number(this Validation validation, string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return value;
        }

        validation.Check(false, field, $"'{field}' must be a number.");
        return null;
    }

    public static GeoPoint ToPoint(double? lat, double? lon) => new(lat!.Value, lon!.Value);
}
