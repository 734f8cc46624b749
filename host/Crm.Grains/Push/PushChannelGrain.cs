using Crm.Grains.Notifications;
using Crm.Grains.Org;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Utilities;

namespace Crm.Grains.Push;

/// <summary>
/// Routes a channel's messages to the inboxes of its users: <c>rep:{id}</c> is that user, <c>unit:{id}</c> the
/// managers and admins of that unit and the units above it, as the org tree stands when the message is routed; and to
/// the relays of the silos whose connections watch the channel (a pool's). Reentrant: it hands each message on in the
/// order it arrived (the hand-over runs before any await), and waits for the inboxes to store many messages at once,
/// so a busy unit is never held to one database write at a time.
/// </summary>
[Reentrant]
public sealed class PushChannelGrain : Grain, IPushChannelGrain
{
    // Relays re-subscribe every minute; one that stopped doing so (its silo died) expires.
    private static readonly TimeSpan RelayExpiry = TimeSpan.FromMinutes(3);

    private readonly OrgTreeCache _tree;
    private readonly ObserverManager<IPushObserver> _relays;

    public PushChannelGrain(OrgTreeCache tree, ILogger<PushChannelGrain> logger)
    {
        _tree = tree;
        _relays = new(RelayExpiry, logger);
    }

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

    public Task Publish(PushMessage message) => Route(message);

    public async Task Route(PushMessage message)
    {
        var channel = this.GetPrimaryKeyString();
        if (_relays.Count > 0)
        {
            _ = _relays.Notify(relay => relay.DeliverToChannel(channel, message));
        }

        var recipients = await PushChannels.RecipientsAsync(channel, _tree);
        await Task.WhenAll(recipients.Select(user => GrainFactory.GetGrain<IInboxGrain>(user).Append(message)));
    }
}
