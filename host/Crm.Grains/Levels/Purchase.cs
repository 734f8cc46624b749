namespace Crm.Grains.Levels;

/// <summary>
/// One order as the level rule counts it. Today a won deal is one; payments (when they land) feed the same list, so the
/// rule does not change when its inputs grow.
/// </summary>
public sealed record Purchase(DateTimeOffset At, decimal Amount, string Currency);
