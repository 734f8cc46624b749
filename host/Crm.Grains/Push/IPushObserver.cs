namespace Crm.Grains.Push;

/// <summary>Implemented by the relay in each silo that has SignalR connections; forwards to the local hub.</summary>
public interface IPushObserver : IGrainObserver
{
    /// <summary>Messages for one user, in the order of their ids (transient ones carry no id).</summary>
    [OneWay]
    Task Deliver(string userId, IReadOnlyList<LiveMessage> messages);

    /// <summary>A message for the connections watching a channel (a pool's), live only.</summary>
    [OneWay]
    Task DeliverToChannel(string channel, PushMessage message);
}
