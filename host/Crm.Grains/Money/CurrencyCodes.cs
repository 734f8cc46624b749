namespace Crm.Grains.Money;

/// <summary>ISO 4217 codes as the server handles them: three upper-case letters.</summary>
public static class CurrencyCodes
{
    public static bool IsWellFormed(string? code) => code is { Length: 3 } && code.All(char.IsAsciiLetterUpper);
}
