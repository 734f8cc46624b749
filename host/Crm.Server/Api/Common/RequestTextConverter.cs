using System.Text.Json;
using System.Text.Json.Serialization;
using Crm.Grains.Common;

namespace Crm.Server.Api.Common;

/// <summary>
/// Every string of a JSON request without the control characters no text holds: NUL and the other C0 controls but tab,
/// line feed and carriage return. They come pasted from terminals and binary sources, nobody sees them, and PostgreSQL
/// refuses a NUL in text: an org unit, pool, user or sequence named with one was a 500 there. Line breaks and tabs stay
/// (the fields that must be one line clean further); answers are written as they are.
/// </summary>
public sealed class RequestTextConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String ? TextInput.WithoutInvisibleControls(reader.GetString()) : throw new JsonException();

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        TextInput.WithoutInvisibleControls(reader.GetString())!;

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);
}
