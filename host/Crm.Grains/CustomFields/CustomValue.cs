using System.Globalization;

namespace Crm.Grains.CustomFields;

/// <summary>
/// One custom field's value, typed: text and choice in <see cref="Text"/>, a number, a date, or the choices of a
/// multi-choice field. Stored in the customer's snapshot and events (grain-owned, never a wire type).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CustomValue(
    [property: Id(0)] string? Text = null,
    [property: Id(1)] decimal? Number = null,
    [property: Id(2)] DateOnly? Date = null,
    [property: Id(3)] IReadOnlyList<string>? Choices = null)
{
    /// <summary>
    /// A number without the trailing zeros it was written with (1500.50 is 1500.5): a decimal keeps its scale, and the
    /// filter index compares the invariant text, so <c>cf.size=1500.5</c> missed a value sent as 1500.50.
    /// </summary>
    public static decimal Plain(decimal number) => number / 1.0000000000000000000000000000m;

    /// <summary>The invariant text of a number written in a filter (<c>1500.50</c> → <c>1500.5</c>), or null when it is not a plain number.</summary>
    public static string? PlainText(string value) =>
        decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
            ? Plain(number).ToString(CultureInfo.InvariantCulture)
            : null;

    /// <summary>The value as exact strings: what the filter index holds (one row per choice) and the timeline shows.</summary>
    public IEnumerable<string> Canonical()
    {
        if (Text is not null)
        {
            yield return Text;
        }

        if (Number is { } number)
        {
            yield return Plain(number).ToString(CultureInfo.InvariantCulture);
        }

        if (Date is { } date)
        {
            yield return date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        foreach (var choice in Choices ?? [])
        {
            yield return choice;
        }
    }

    public string Shown() => string.Join(", ", Canonical());
}
