using System.Collections;
using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Crm.Grains.Common;

namespace Crm.Server.Api.Common;

/// <summary>
/// The bounds every request body obeys, whatever its route: a property's own <c>[MaxLength]</c>, <c>[StringLength]</c>
/// or <c>[Range]</c>, or else the defaults here. Checked by <see cref="InputBoundsFilter"/> before a handler runs, and
/// written into the OpenAPI document by <see cref="InputBoundsSchema"/>, so what is documented is what is enforced.
/// Strings inside free-form JSON are read here first: one that is no text (<see cref="JsonText"/>) is refused by its path.
/// </summary>
public static class InputBounds
{
    /// <summary>A string without a bound of its own (also dictionary values and strings inside free-form JSON).</summary>
    public const int DefaultMaxStringLength = 4000;

    /// <summary>A list without a bound of its own (also arrays inside free-form JSON).</summary>
    public const int DefaultMaxItems = 1000;

    /// <summary>A dictionary or free-form JSON object without a bound of its own.</summary>
    public const int DefaultMaxEntries = 100;

    /// <summary>A dictionary key or a property name inside free-form JSON.</summary>
    public const int MaxKeyLength = 200;

    /// <summary>Nesting of free-form JSON.</summary>
    public const int MaxJsonDepth = 8;

    private static readonly ConcurrentDictionary<Type, BoundProperty[]> Properties = new();

    /// <summary>One property as the wire names it, with the bounds it declares.</summary>
    public sealed record BoundProperty(PropertyInfo Info, string Name, int? MaxLength, RangeAttribute? Range);

    /// <summary>Adds a field error for everything in <paramref name="body"/> past its bound, named under <paramref name="prefix"/>.</summary>
    public static void Check(object? body, Validation validation, string prefix = "") => CheckValue(body, prefix, null, null, validation, 0);

    public static BoundProperty[] PropertiesOf(Type type) => Properties.GetOrAdd(type, static t => t
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.GetIndexParameters().Length == 0 && p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
        .Select(p => new BoundProperty(p, WireName(p), DeclaredMaxLength(p), p.GetCustomAttribute<RangeAttribute>()))
        .ToArray());

    /// <summary>The length bound a string or list property declares, if any.</summary>
    public static int? DeclaredMaxLength(ICustomAttributeProvider member) =>
        member.GetCustomAttributes(true).Select(a => a switch
        {
            MaxLengthAttribute max => max.Length,
            StringLengthAttribute length => length.MaximumLength,
            LengthAttribute length => length.MaximumLength,
            _ => (int?)null,
        }).FirstOrDefault(n => n is not null);

    /// <summary>Whether values of this type are objects whose properties are walked (the wire records).</summary>
    public static bool IsRecord(Type type) =>
        type.IsClass && type != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(type) && type.Namespace?.StartsWith("Crm.") == true;

    private static void CheckValue(object? value, string path, int? maxLength, RangeAttribute? range, Validation validation, int depth)
    {
        switch (value)
        {
            case null:
                return;
            case string text:
                var max = maxLength ?? DefaultMaxStringLength;
                validation.Check(text.Length <= max, path, $"'{path}' may have at most {max} characters.");
                return;
            case JsonElement json:
                CheckJson(json, path, validation, depth);
                return;
            case IDictionary dictionary:
                CheckDictionary(dictionary, path, maxLength ?? DefaultMaxEntries, validation, depth);
                return;
            case IEnumerable list:
                CheckList(list, path, maxLength ?? DefaultMaxItems, validation, depth);
                return;
        }

        var type = value.GetType();
        if (IsRecord(type))
        {
            if (depth >= MaxJsonDepth)
            {
                return;
            }

            foreach (var property in PropertiesOf(type))
            {
                var name = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                CheckValue(property.Info.GetValue(value), name, property.MaxLength, property.Range, validation, depth + 1);
            }
        }
        else if (range is not null && !range.IsValid(value))
        {
            validation.Check(false, path, $"'{path}' must be between {range.Minimum} and {range.Maximum}.");
        }
    }

    private static void CheckList(IEnumerable list, string path, int max, Validation validation, int depth)
    {
        var index = 0;
        foreach (var item in list)
        {
            if (index == max)
            {
                validation.Check(false, path, $"'{path}' may have at most {max} items.");
                return;
            }

            CheckValue(item, $"{path}[{index}]", null, null, validation, depth + 1);
            index++;
        }
    }

    private static void CheckDictionary(IDictionary dictionary, string path, int max, Validation validation, int depth)
    {
        if (dictionary.Count > max)
        {
            validation.Check(false, path, $"'{path}' may have at most {max} entries.");
            return;
        }

        foreach (DictionaryEntry entry in dictionary)
        {
            var key = Convert.ToString(entry.Key) ?? "";
            if (key.Length > MaxKeyLength)
            {
                validation.Check(false, path, $"The keys of '{path}' may have at most {MaxKeyLength} characters.");
                return;
            }

            CheckValue(entry.Value, $"{path}.{key}", null, null, validation, depth + 1);
        }
    }

    private static void CheckJson(JsonElement json, string path, Validation validation, int depth)
    {
        if (depth > MaxJsonDepth)
        {
            validation.Check(false, path, $"'{path}' nests deeper than {MaxJsonDepth} levels.");
            return;
        }

        switch (json.ValueKind)
        {
            case JsonValueKind.String:
                // Half a surrogate pair alone ("\ud800") is well-formed JSON but no text: GetString threw, a 500.
                if (JsonText.StringOrNull(json) is { } text)
                {
                    CheckValue(text, path, null, null, validation, depth);
                }
                else
                {
                    validation.Check(false, path, $"'{path}' {JsonText.NotText}");
                }

                break;
            case JsonValueKind.Array:
                var count = json.GetArrayLength();
                if (count > DefaultMaxItems)
                {
                    validation.Check(false, path, $"'{path}' may have at most {DefaultMaxItems} items.");
                    return;
                }

                var index = 0;
                foreach (var item in json.EnumerateArray())
                {
                    CheckJson(item, $"{path}[{index++}]", validation, depth + 1);
                }

                break;
            case JsonValueKind.Object:
                var entries = 0;
                foreach (var property in json.EnumerateObject())
                {
                    if (JsonText.NameOrNull(property) is not { } name)
                    {
                        validation.Check(false, path, $"A name in '{path}' {JsonText.NotText}");
                        return;
                    }

                    if (++entries > DefaultMaxEntries || name.Length > MaxKeyLength)
                    {
                        validation.Check(false, path, $"'{path}' may have at most {DefaultMaxEntries} entries with names of at most {MaxKeyLength} characters.");
                        return;
                    }

                    CheckJson(property.Value, $"{path}.{name}", validation, depth + 1);
                }

                break;
        }
    }

    private static string WireName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);
}
