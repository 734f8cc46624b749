using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Crm.Server.Api.Common;

/// <summary>
/// A point in time in a request names its offset (<c>2026-12-06T09:21:26+08:00</c> or <c>…Z</c>). Without one the JSON
/// library took it in the server's own time zone: a Beijing rep's "09:21" became 09:21 UTC on a UTC server and 09:21
/// Beijing on a Beijing one, hours apart or "in the future". Such a value is now a 400 naming the field. A date alone
/// (<c>2026-12-05</c>, what a payment's or contract's day is often sent as) stays a day: its midnight UTC, whatever the
/// server's zone.
/// </summary>
public sealed class OffsetDateTimeConverter : JsonConverter<DateTimeOffset>
{
    /// <summary>The start of this converter's own message, which <see cref="BindingFailures"/> passes on with the field's name.</summary>
    public const string NoOffset = "needs a time zone offset";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException(); // no message of its own: the reader adds the path and the usual wording
        }

        var text = reader.GetString()!;
        if (text.Length == 10 && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        if (!reader.TryGetDateTimeOffset(out var value))
        {
            throw new JsonException();
        }

        if (!HasOffset(text))
        {
            throw new JsonException($"{NoOffset} (Z for UTC, or +08:00, +03:00): '{(text.Length > 40 ? text[..40] + "…" : text)}' names none.");
        }

        return value;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    /// <summary>Ends in Z, or in +hh:mm / -hh:mm (or +hhmm) after the time.</summary>
    private static bool HasOffset(string text)
    {
        var time = text.IndexOfAny(['T', 't', ' ']);
        if (time < 0)
        {
            return false;
        }

        var rest = text.AsSpan(time + 1);
        return rest.EndsWith("Z", StringComparison.OrdinalIgnoreCase) || rest.IndexOfAny('+', '-') >= 0;
    }
}

/// <summary>
/// Gives the OpenAPI document its <c>date-time</c> back for every <see cref="DateTimeOffset"/>: the document describes a
/// type with a converter of its own as "anything".
/// </summary>
public sealed class OffsetDateTimeSchema : Microsoft.AspNetCore.OpenApi.IOpenApiSchemaTransformer
{
    public Task TransformAsync(Microsoft.OpenApi.OpenApiSchema schema, Microsoft.AspNetCore.OpenApi.OpenApiSchemaTransformerContext context,
        CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (Nullable.GetUnderlyingType(type) is { } underlying ? underlying == typeof(DateTimeOffset) : type == typeof(DateTimeOffset))
        {
            schema.Type = type == typeof(DateTimeOffset) ? Microsoft.OpenApi.JsonSchemaType.String : Microsoft.OpenApi.JsonSchemaType.String | Microsoft.OpenApi.JsonSchemaType.Null;
            schema.Format = "date-time";
        }

        return Task.CompletedTask;
    }
}
