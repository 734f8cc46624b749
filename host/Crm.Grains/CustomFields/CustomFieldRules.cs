using System.Globalization;
using System.Text.Json;
using Crm.Grains.Common;

namespace Crm.Grains.CustomFields;

/// <summary>
/// The rules of custom field values: how a JSON value is read against its definition (type, options, bounds), and which
/// fields a card still lacks on create or before it moves into a stage ("card completeness"). Plain and deterministic,
/// so the API (all field errors at once) and the customer grain (the authority) read the same way.
/// </summary>
public static class CustomFieldRules
{
    public const int MaxFieldsPerEntity = 50;
    public const int MaxTextLength = 2000;
    public const int MaxOptions = 100;
    public const int MaxOptionLength = 100;
    public const int MaxStages = 30;
    public const decimal MaxNumber = 1_000_000_000_000m;

    /// <summary>
    /// Reads the given values (null or a JSON null removes a value). Errors are named <c>customFields.key</c>.
    /// </summary>
    public static Dictionary<string, CustomValue?> Read(IReadOnlyList<CustomFieldDefinition> fields, IReadOnlyDictionary<string, JsonElement>? input,
        Action<string, string> error)
    {
        var values = new Dictionary<string, CustomValue?>(StringComparer.Ordinal);
        if (input is null)
        {
            return values;
        }

        if (input.Count > MaxFieldsPerEntity)
        {
            error("customFields", $"At most {MaxFieldsPerEntity} custom fields at once.");
            return values;
        }

        foreach (var (key, json) in input)
        {
            var field = $"customFields.{key}";
            if (fields.FirstOrDefault(f => f.Key == key) is not { } definition)
            {
                error(field, $"'{key}' is not a custom field of this kind of card.");
            }
            else if (json.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            {
                values[key] = null;
            }
            else if (!JsonText.IsText(json))
            {
                // Its strings are read below: one that is no text would throw.
                error(field, $"The value {JsonText.NotText}");
            }
            else if (ReadOne(definition, json) is { } value)
            {
                values[key] = value;
            }
            else
            {
                error(field, Expected(definition));
            }
        }

        return values;
    }

    /// <summary>The first error of <see cref="Read"/>, as the grain answers it.</summary>
    public static (Dictionary<string, CustomValue?> Values, (string Field, string Message)? Error) ReadOrFirstError(
        IReadOnlyList<CustomFieldDefinition> fields, IReadOnlyDictionary<string, JsonElement>? input)
    {
        (string, string)? first = null;
        var values = Read(fields, input, (f, m) => first ??= (f, m));
        return (values, first);
    }

    /// <summary>The values after applying <paramref name="changes"/> (a null removes).</summary>
    public static Dictionary<string, CustomValue> Merge(IReadOnlyDictionary<string, CustomValue> current, IReadOnlyDictionary<string, CustomValue?> changes)
    {
        var merged = new Dictionary<string, CustomValue>(current, StringComparer.Ordinal);
        foreach (var (key, value) in changes)
        {
            if (value is null)
            {
                merged.Remove(key);
            }
            else
            {
                merged[key] = value;
            }
        }

        return merged;
    }

    /// <summary>The keys a card lacks: its <c>required</c> fields, and those required at <paramref name="stage"/> when it moves there.</summary>
    public static IReadOnlyList<string> Missing(IReadOnlyList<CustomFieldDefinition> fields, IReadOnlyDictionary<string, CustomValue> values,
        string? stage, bool checkRequired) =>
        fields.Where(f => (checkRequired && f.Required) || (stage is not null && f.RequiredAtStages.Contains(stage)))
            .Where(f => !values.ContainsKey(f.Key))
            .Select(f => f.Key)
            .ToList();

    /// <summary>The value as the API shows it: a string, a number, a date string, or an array of strings.</summary>
    public static JsonElement ToJson(CustomValue value) => value switch
    {
        { Choices: { } choices } => JsonSerializer.SerializeToElement(choices),
        { Number: { } number } => JsonSerializer.SerializeToElement(number),
        { Date: { } date } => JsonSerializer.SerializeToElement(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        _ => JsonSerializer.SerializeToElement(value.Text),
    };

    public static Dictionary<string, JsonElement>? ToJson(IReadOnlyDictionary<string, CustomValue>? values) =>
        values is null || values.Count == 0 ? null : values.ToDictionary(v => v.Key, v => ToJson(v.Value), StringComparer.Ordinal);

    private static CustomValue? ReadOne(CustomFieldDefinition definition, JsonElement json)
    {
        switch (definition.Type)
        {
            case CustomFieldType.Text:
                // A text may run over several lines; other control characters (pasted from other systems, invisible) go.
                return json.ValueKind == JsonValueKind.String && TextInput.WithoutControls(json.GetString(), multiLine: true)!.Trim() is { Length: > 0 and <= MaxTextLength } text
                    ? new CustomValue(Text: text)
                    : null;
            case CustomFieldType.Number:
                return json.ValueKind == JsonValueKind.Number && json.TryGetDecimal(out var number) && Math.Abs(number) <= MaxNumber
                    && decimal.Round(number, 4) == number ? new CustomValue(Number: CustomValue.Plain(number)) : null;
            case CustomFieldType.Date:
                return json.ValueKind == JsonValueKind.String
                    && DateOnly.TryParseExact(json.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                    && date.Year is >= 1900 and <= 2200 ? new CustomValue(Date: date) : null;
            case CustomFieldType.Choice:
                return json.ValueKind == JsonValueKind.String && definition.Options.Contains(json.GetString()!) ? new CustomValue(Text: json.GetString()) : null;
            case CustomFieldType.MultiChoice:
                if (json.ValueKind != JsonValueKind.Array || json.GetArrayLength() is 0 or > MaxOptions)
                {
                    return null;
                }

                var choices = json.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : null).ToList();
                return choices.All(c => c is not null && definition.Options.Contains(c))
                    ? new CustomValue(Choices: definition.Options.Where(choices.Contains).ToList())
                    : null;
            default:
                return null;
        }
    }

    private static string Expected(CustomFieldDefinition d) => d.Type switch
    {
        CustomFieldType.Text => $"A text of 1 to {MaxTextLength} characters.",
        CustomFieldType.Number => $"A number between -{MaxNumber} and {MaxNumber} with at most 4 decimals.",
        CustomFieldType.Date => "A date, yyyy-MM-dd.",
        CustomFieldType.Choice => $"One of: {string.Join(", ", d.Options)}.",
        _ => $"A non-empty list of: {string.Join(", ", d.Options)}.",
    };
}
