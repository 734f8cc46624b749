using Crm.Grains.Storage;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Crm.Grains.Customers.Events;

namespace Crm.Grains.EventLog;

/// <summary>
/// How events are written to and read from the log: camelCase JSON, enums by name, nulls left out, text as written (a
/// Chinese or Cyrillic character stays its UTF-8 bytes instead of a six-character \u escape: the log is read back only
/// by this parser, never embedded in HTML).
/// </summary>
public static class EventJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Write(CustomerEvent e) => JsonSerializer.Serialize(e, Options);

    /// <summary>The event as UTF-8 JSON, as the log stores it: no string in between.</summary>
    public static Utf8Text WriteUtf8(CustomerEvent e) => new(JsonSerializer.SerializeToUtf8Bytes(e, Options));

    public static CustomerEvent Read(string json) =>
        JsonSerializer.Deserialize<CustomerEvent>(json, Options) ?? throw new InvalidDataException("An empty event in the log.");
}
