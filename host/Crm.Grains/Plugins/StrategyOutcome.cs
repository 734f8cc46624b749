namespace Crm.Grains.Plugins;

/// <summary>
/// What a strategy call through <see cref="StrategyRunner"/> produced: the value (when <see cref="Succeeded"/>),
/// the strategy that produced it (the requested one or the fallback) and the faults met on the way.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record StrategyOutcome<T>(
    [property: Id(0)] bool Succeeded,
    [property: Id(1)] T? Value,
    [property: Id(2)] string Requested,
    [property: Id(3)] string? UsedStrategy,
    [property: Id(4)] IReadOnlyList<string> Faults)
{
    /// <summary>True when the fallback strategy produced the value because the requested one failed.</summary>
    public bool FellBack => Succeeded && UsedStrategy != Requested;
}
