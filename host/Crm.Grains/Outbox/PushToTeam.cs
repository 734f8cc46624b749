using Crm.Grains.Push;

namespace Crm.Grains.Outbox;

/// <summary>
/// An event for a whole team: the given channels, the team unit's managers (its unit channel) and every active member
/// of the unit, looked up when it is delivered (a deal won rings the team's gong).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PushToTeam(
    [property: Id(0)] PushMessage Message,
    [property: Id(1)] IReadOnlyList<string> Channels,
    [property: Id(2)] string? TeamUnitId) : OutboxEffect;
