namespace Crm.Grains.Push;

/// <summary>A message on its way to one user's connections, with its id in that user's message center (none if transient).</summary>
[GenerateSerializer, Immutable]
public sealed record LiveMessage([property: Id(0)] long? Id, [property: Id(1)] PushMessage Message);
