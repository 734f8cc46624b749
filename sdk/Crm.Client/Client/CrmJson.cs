using System.Text.Json;
using System.Text.Json.Serialization;

namespace Crm.Client;

/// <summary>The wire format of the CRM API and its SignalR events: camelCase names, enums as camelCase strings.</summary>
public static class CrmJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Applies the CRM wire format to existing options (e.g. a SignalR JSON protocol's payload options).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        return options;
    }
}
