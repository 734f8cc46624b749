using System.Text.Json;
using System.Text.Json.Serialization;

namespace Crm.Server.Api.Common;

/// <summary>
/// Enums on the wire as camelCase strings that read back only one of their own names (any case). System.Text.Json's
/// string converter also reads what <see cref="Enum.TryParse(Type, string?, bool, out object?)"/> takes: a list such as
/// <c>"lead, customer"</c> (the two values OR-ed together: a stage that is neither) and names with spaces around them,
/// so such a body was stored as a value nobody sent. Flags enums keep the lists they are made for.
/// </summary>
public sealed class StrictEnumConverter : JsonConverterFactory
{
    private readonly JsonStringEnumConverter _strings = new(JsonNamingPolicy.CamelCase, allowIntegerValues: false);

    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter? CreateConverter(Type typeToConvert, JsonSerializerOptions options)
    {
        var strings = _strings.CreateConverter(typeToConvert, options);
        if (typeToConvert.IsDefined(typeof(FlagsAttribute), false))
        {
            return strings;
        }

        return (JsonConverter)Activator.CreateInstance(typeof(OneName<>).MakeGenericType(typeToConvert), strings, EnumWireNames.Of(typeToConvert))!;
    }

    private sealed class OneName<T>(JsonConverter strings, EnumWireNames names) : JsonConverter<T> where T : struct, Enum
    {
        private readonly JsonConverter<T> _strings = (JsonConverter<T>)strings;

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String || names.NetName(reader.GetString()!) is not { } name)
            {
                throw new JsonException(); // no message of its own: the reader adds the path and the usual wording
            }

            return Enum.Parse<T>(name);
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => _strings.Write(writer, value, options);

        public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            _strings.ReadAsPropertyName(ref reader, typeToConvert, options);

        public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            _strings.WriteAsPropertyName(writer, value, options);
    }
}
