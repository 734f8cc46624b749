namespace Crm.Grains.Push;

/// <summary>
/// An event on its way to its users: the hub method name, the event record as JSON, when it happened, its own key
/// (so that a push routed twice, e.g. an outbox entry delivered again after a crash, is stored once per user) and
/// whether it is live-only (progress bars: not kept in the message center). A pool channel's copy names the event's other
/// channels (<paramref name="AlsoTo"/>): their users hear it through their own message centers, so the pool's watchers
/// among them are left out of the pool's send (each hears it once).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PushMessage(string EventName, string Json, DateTimeOffset At = default, string? Key = null, bool Transient = false,
    IReadOnlyList<string>? AlsoTo = null);
