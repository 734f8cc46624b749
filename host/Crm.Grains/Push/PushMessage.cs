namespace Crm.Grains.Push;

/// <summary>An event on its way to SignalR clients: the hub method name and the event record as JSON.</summary>
[GenerateSerializer, Immutable]
public sealed record PushMessage(string EventName, string Json);
