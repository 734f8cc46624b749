using Microsoft.Extensions.Logging;
using Orleans.Utilities;

namespace Crm.Grains.Push;

public sealed class PushChannelGrain : Grain, IPushChannelGrain
{
    // Relays re-subscribe every minute; one that stopped doing so (its silo died) expires.
    private static readonly TimeSpan RelayExpiry = TimeSpan.FromMinutes(3);

    private readonly ObserverManager<IPushObserver> _relays;

    public PushChannelGrain(ILogger<PushChannelGrain> logger) => _relays = new(RelayExpiry, logger);

    public Task Subscribe(IPushObserver relay)
    {
        _relays.Subscribe(relay, relay);
        return Task.CompletedTask;
    }

    public Task Unsubscribe(IPushObserver relay)
    {
        _relays.Unsubscribe(relay);
        return Task.CompletedTask;
    }

    public Task Publish(PushMessage message)
    {
        var channel = this.GetPrimaryKeyString();
        _relays.Notify(relay => relay.Deliver(channel, message));
        return Task.CompletedTask;
    }
}
