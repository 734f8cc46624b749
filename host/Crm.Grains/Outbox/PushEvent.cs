using Crm.Grains.Push;

namespace Crm.Grains.Outbox;

/// <summary>An event for reps' and managers' live clients, on the channels that should see it.</summary>
[GenerateSerializer, Immutable]
public sealed record PushEvent(PushMessage Message, IReadOnlyList<string> Channels) : OutboxEffect;
