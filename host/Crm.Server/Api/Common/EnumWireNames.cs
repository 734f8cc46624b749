using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Crm.Server.Api.Common;

/// <summary>The names of an enum's values: the wire name (camelCase, or its JsonStringEnumMemberName) and the .NET one.</summary>
public sealed record EnumWireNames(IReadOnlyList<(string Wire, string Net)> Values)
{
    public string Listed => string.Join(", ", Values.Select(v => v.Wire));

    /// <summary>The .NET name of the value named <paramref name="value"/> (either name, any case); null for anything else.</summary>
    public string? NetName(string value) => Values
        .FirstOrDefault(v => string.Equals(v.Wire, value, StringComparison.OrdinalIgnoreCase) || string.Equals(v.Net, value, StringComparison.OrdinalIgnoreCase))
        .Net;

    public static EnumWireNames Of(Type type) => new(type.GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(f.Name), f.Name))
        .ToList());
}
