using System.Text.Json;
using System.Text.Json.Serialization;

namespace Crm.Grains.Notes;

/// <summary>The JSON shape templates are stored in (the API's: camelCase, enums as camelCase strings).</summary>
public static class NoteJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
