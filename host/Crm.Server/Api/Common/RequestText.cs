using System.Collections;
using Crm.Grains.Common;

namespace Crm.Server.Api.Common;

/// <summary>
/// Every string of a request body without the control characters no text holds: NUL and the other C0 controls but tab,
/// line feed and carriage return. They come pasted from terminals and binary sources, nobody sees them, and PostgreSQL
/// refuses a NUL in text: an org unit, pool, user or sequence named with one was a 500 there. Line breaks and tabs stay
/// (the fields that must be one line clean further). Run by <see cref="InputBoundsFilter"/> on the bound body before the
/// handler sees it, walking what <see cref="InputBounds"/> walks; a string is replaced through its (init) setter. Values
/// inside free-form JSON (<c>JsonElement</c>) cannot be changed here: their readers clean them (custom fields, notes).
/// A JSON converter for strings would do it while reading, but the OpenAPI document loses every string's type and bounds.
/// </summary>
public static class RequestText
{
    public static void Clean(object? body, int depth = 0)
    {
        if (body is null || depth > InputBounds.MaxJsonDepth)
        {
            return;
        }

        if (InputBounds.IsRecord(body.GetType()))
        {
            foreach (var property in InputBounds.PropertiesOf(body.GetType()))
            {
                var value = property.Info.GetValue(body);
                if (Cleaned(value, depth) is var cleaned && !ReferenceEquals(cleaned, value) && property.Info.CanWrite)
                {
                    property.Info.SetValue(body, cleaned);
                }
            }
        }
        else if (body is IDictionary { IsReadOnly: false } dictionary)
        {
            foreach (var key in dictionary.Keys.Cast<object>().ToList())
            {
                var value = dictionary[key];
                if (Cleaned(value, depth) is var cleaned && !ReferenceEquals(cleaned, value))
                {
                    dictionary[key] = cleaned;
                }
            }
        }
        else if (body is IList { IsReadOnly: false } list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (Cleaned(list[i], depth) is var cleaned && !ReferenceEquals(cleaned, list[i]))
                {
                    list[i] = cleaned;
                }
            }
        }
    }

    /// <summary>A string without those characters (the same instance when it has none); anything else cleaned inside.</summary>
    private static object? Cleaned(object? value, int depth)
    {
        if (value is string text)
        {
            return TextInput.WithoutInvisibleControls(text);
        }

        Clean(value, depth + 1);
        return value;
    }
}
