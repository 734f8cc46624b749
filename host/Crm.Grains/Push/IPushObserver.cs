namespace Crm.Grains.Push;

/// <summary>Implemented by the relay in each silo that has SignalR connections; forwards to the local hub.</summary>
public interface IPushObserver : IGrainObserver
{
    [OneWay]
    Task Deliver(string channel, PushMessage message);
}
