namespace Crm.Grains.Common;

/// <summary>Small helpers for text that arrives in requests.</summary>
public static class TextInput
{
    /// <summary>The value trimmed, or null when it is null, empty or only white space: what an optional field stores.</summary>
    public static string? TrimOrNull(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
