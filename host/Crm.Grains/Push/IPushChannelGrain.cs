namespace Crm.Grains.Push;

/// <summary>
/// A push channel, keyed by its name: <c>rep:{repId}</c> (that user), <c>unit:{orgUnitId}</c> (the managers who watch
/// that unit) or <c>pool:{poolId}</c> (connections watching a pool). It routes each message to the inbox of every user
/// of the channel, which stores it in the message center and forwards it to the user's live connections, and to the
/// relays subscribed to the channel itself (pool watchers: live only).
/// </summary>
public interface IPushChannelGrain : IGrainWithStringKey
{
    /// <summary>A silo's relay starts forwarding this channel's messages to its connections watching it.</summary>
    Task Subscribe(IPushObserver relay);

    Task Unsubscribe(IPushObserver relay);

    /// <summary>Fire and forget, for pushes that are not in an outbox (grains' own warnings, import progress).</summary>
    [OneWay]
    Task Publish(PushMessage message);

    /// <summary>Completes once every recipient stored the message: the outbox deletes its entry only then.</summary>
    Task Route(PushMessage message);
}
