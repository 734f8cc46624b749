namespace Crm.Grains.Levels;

/// <summary>
/// The company's customer levels, best first (A–E by default), and the rule that computes a level from a customer's
/// orders: how many in the window (frequency) and their average amount (size). The first tier a customer meets gives
/// its level; a customer with orders that meets none gets <see cref="LevelRule.Fallback"/>.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LevelSettings([property: Id(0)] IReadOnlyList<string> Levels, [property: Id(1)] LevelRule Rule)
{
    public static readonly LevelSettings Default = new(["A", "B", "C", "D", "E"], new LevelRule(true, 365, "CNY",
    [
        new LevelTier("A", 12, 50_000m),
        new LevelTier("B", 6, 20_000m),
        new LevelTier("C", 3, 5_000m),
        new LevelTier("D", 1, 1_000m),
    ], "E"));
}

/// <summary>
/// Orders of the last <see cref="WindowDays"/> count, in <see cref="Currency"/> (orders in other currencies converted at
/// the rate of their day; one without a rate waits for it); <see cref="Enabled"/> false leaves levels to people.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LevelRule(
    [property: Id(0)] bool Enabled,
    [property: Id(1)] int WindowDays,
    [property: Id(2)] string Currency,
    [property: Id(3)] IReadOnlyList<LevelTier> Tiers,
    [property: Id(4)] string? Fallback);

/// <summary>At least <see cref="MinOrders"/> orders in the window, of at least <see cref="MinAverageAmount"/> on average.</summary>
[GenerateSerializer, Immutable]
public sealed record LevelTier([property: Id(0)] string Level, [property: Id(1)] int MinOrders, [property: Id(2)] decimal MinAverageAmount);
