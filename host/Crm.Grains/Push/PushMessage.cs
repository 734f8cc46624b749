namespace Crm.Grains.Push;

/// <summary>
/// An event on its way to its users: the hub method name, the event record as JSON, when it happened, its own key
/// (so that a push routed twice, e.g. an outbox entry delivered again after a crash, is stored once per user) and
/// whether it is live-only (progress bars: not kept in the message center).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PushMessage(string EventName, string Json, DateTimeOffset At = default, string? Key = null, bool Transient = false);
