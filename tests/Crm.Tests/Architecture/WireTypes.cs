using System.Reflection;

namespace Crm.Tests.Architecture;

/// <summary>Finds the API's wire types (Crm.Client) and the plugin SDK's (Crm.Sdk) inside the server's own types.</summary>
internal static class WireTypes
{
    /// <summary>
    /// Every member, at any depth within <paramref name="own"/>'s types that <paramref name="walkInto"/> admits, whose type
    /// comes from one of <paramref name="namespaces"/>.
    /// </summary>
    public static IEnumerable<string> In(Type root, string path, Assembly own, Func<Type, bool> walkInto, params string[] namespaces)
    {
        var seen = new HashSet<Type>();
        var pending = new Stack<(Type Type, string Path)>([(root, path)]);
        while (pending.Count > 0)
        {
            var (type, at) = pending.Pop();
            foreach (var part in Parts(type))
            {
                if (namespaces.Contains(part.Namespace))
                {
                    yield return $"{at}: {part.Name}";
                }
                else if (part.Assembly == own && walkInto(part) && seen.Add(part))
                {
                    const BindingFlags members = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
                    foreach (var property in part.GetProperties(members).Where(p => p.GetIndexParameters().Length == 0))
                    {
                        pending.Push((property.PropertyType, $"{at}.{property.Name}"));
                    }

                    foreach (var field in part.GetFields(members).Where(f => !f.Name.Contains("k__BackingField")))
                    {
                        pending.Push((field.FieldType, $"{at}.{field.Name}"));
                    }
                }
            }
        }
    }

    /// <summary>The type itself and the types it is made of (generic arguments, array elements, nullable underlying).</summary>
    private static IEnumerable<Type> Parts(Type type)
    {
        yield return type;
        if (type.IsArray || type.IsByRef)
        {
            foreach (var part in Parts(type.GetElementType()!))
            {
                yield return part;
            }
        }

        foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : [])
        {
            foreach (var part in Parts(argument))
            {
                yield return part;
            }
        }
    }
}
