using System.Collections;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Crm.Tests.Storage;

/// <summary>What a stored-state fixture is compared by, and how it is checked to hold a value in every member.</summary>
public static class FilledMembers
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // a diff shows 王伟, not \u738B\u4F1F
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Every public member, nested ones included, as indented JSON: two states with the same text hold the same values.</summary>
    public static string Text(object state) => JsonSerializer.Serialize(state, state.GetType(), Options);

    /// <summary>
    /// The members (<c>Type.Property</c>) that hold their default (null, 0, false, "", empty) in every object of their
    /// type in the graph: a member left at its default would read back the same under any id.
    /// </summary>
    public static IReadOnlyList<string> Empty(object root)
    {
        var filled = new Dictionary<string, bool>();
        Visit(root, filled);
        return filled.Where(m => !m.Value).Select(m => m.Key).Order(StringComparer.Ordinal).ToList();
    }

    private static void Visit(object value, Dictionary<string, bool> filled)
    {
        var type = value.GetType();
        if (type.IsPrimitive || type.IsEnum || value is string or decimal or DateTimeOffset or DateTime or DateOnly or TimeSpan or Guid)
        {
            return;
        }

        if (value is IDictionary dictionary)
        {
            foreach (DictionaryEntry entry in dictionary)
            {
                Visit(entry.Key, filled);
                if (entry.Value is not null)
                {
                    Visit(entry.Value, filled);
                }
            }

            return;
        }

        if (value is IEnumerable items)
        {
            foreach (var item in items.Cast<object?>().OfType<object>())
            {
                Visit(item, filled);
            }

            return;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            var member = property.GetValue(value);
            var key = $"{type.Name}.{property.Name}";
            filled[key] = filled.GetValueOrDefault(key) || !IsDefault(member);
            if (member is not null)
            {
                Visit(member, filled);
            }
        }
    }

    private static bool IsDefault(object? value) => value switch
    {
        null => true,
        string text => text.Length == 0,
        IEnumerable items => !items.GetEnumerator().MoveNext(),
        _ => value.GetType().IsValueType && value.Equals(Activator.CreateInstance(value.GetType())),
    };
}
