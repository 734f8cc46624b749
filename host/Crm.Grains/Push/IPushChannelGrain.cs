namespace Crm.Grains.Push;

/// <summary>
/// A push channel, keyed by its name: <c>rep:{repId}</c> or <c>unit:{orgUnitId}</c>. Holds the relays of
/// the silos where clients of that channel are connected, so a push reaches them whichever silo the
/// sending grain and the connection live on.
/// </summary>
public interface IPushChannelGrain : IGrainWithStringKey
{
    Task Subscribe(IPushObserver relay);

    Task Unsubscribe(IPushObserver relay);

    [OneWay]
    Task Publish(PushMessage message);
}
