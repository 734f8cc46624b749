using System.Text.Json;

namespace Crm.Grains.Common;

/// <summary>
/// Strings inside free-form JSON (<see cref="JsonElement"/>: custom field values, note answers) read as text. A JSON
/// string may escape half of a UTF-16 surrogate pair alone (<c>"\ud800"</c>), or hold bytes that are not UTF-8: the
/// document parses all the same, but the value is no text, and <see cref="JsonElement.GetString"/> (a property's name
/// too) throws on it. A request body with one is refused, naming the value, before its handler runs (the server's
/// bounds check); the readers behind it (a grain reads custom fields again) check through here all the same.
/// </summary>
public static class JsonText
{
    /// <summary>What a field error says of such a value, after its name.</summary>
    public const string NotText = "is not text: it holds half of a UTF-16 surrogate pair (\\ud800 to \\udfff) without the other half, or bytes that are not UTF-8.";

    /// <summary>The string a JSON string holds; null when the value is no string, or no text.</summary>
    public static string? StringOrNull(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            return json.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The property's name; null when it is no text.</summary>
    public static string? NameOrNull(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Whether every string and every property name in the value is text.</summary>
    public static bool IsText(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.String => StringOrNull(json) is not null,
        JsonValueKind.Array => json.EnumerateArray().All(IsText),
        JsonValueKind.Object => json.EnumerateObject().All(p => NameOrNull(p) is not null && IsText(p.Value)),
        _ => true,
    };
}
