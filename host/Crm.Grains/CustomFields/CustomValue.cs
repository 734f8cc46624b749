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
    /// <summary>The value as exact strings: what the filter index holds (one row per choice) and the timeline shows.</summary>
    public IEnumerable<string> Canonical()
    {
        if (Text is not null)
        {
            yield return Text;
        }

        if (Number is { } number)
        {
            yield return number.ToString(CultureInfo.InvariantCulture);
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
