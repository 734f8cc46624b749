using System.Collections.Concurrent;
using System.Text.Json;
using Crm.Grains.Push;
using Microsoft.AspNetCore.SignalR;

namespace Crm.Server.Hubs;

/// <summary>
/// This silo's end of the push path: subscribed to the channel grains of the clients connected here,
/// it forwards their events to the local SignalR groups. Subscriptions are renewed every minute, so a
/// channel grain that moved or restarted learns of this silo again.
/// </summary>
public sealed class PushRelay(IGrainFactory grains, IHubContext<RepHub> hub, ILogger<PushRelay> logger)
    : IPushObserver, IHostedService, IDisposable
{
    private static readonly TimeSpan Renewal = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, int> _listeners = new();
    private IPushObserver? _reference;
    private Timer? _renewal;

    public Task Deliver(string channel, PushMessage message)
    {
        using var json = JsonDocument.Parse(message.Json);
        return hub.Clients.Group(channel).SendAsync(message.EventName, json.RootElement.Clone());
    }

    public async Task AddListenerAsync(string channel)
    {
        if (_listeners.AddOrUpdate(channel, 1, (_, n) => n + 1) == 1)
        {
            await grains.GetGrain<IPushChannelGrain>(channel).Subscribe(Reference);
        }
    }

    public async Task RemoveListenerAsync(string channel)
    {
        if (_listeners.AddOrUpdate(channel, 0, (_, n) => n - 1) <= 0 && _listeners.TryRemove(new(channel, 0)))
        {
            await grains.GetGrain<IPushChannelGrain>(channel).Unsubscribe(Reference);
        }
    }

    private IPushObserver Reference => _reference ??= grains.CreateObjectReference<IPushObserver>(this);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _renewal = new Timer(_ => _ = RenewAsync(), null, Renewal, Renewal);
        return Task.CompletedTask;
    }

    private async Task RenewAsync()
    {
        foreach (var channel in _listeners.Keys)
        {
            try
            {
                await grains.GetGrain<IPushChannelGrain>(channel).Subscribe(Reference);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Could not renew the push subscription of channel {Channel}", channel);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _renewal?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _renewal?.Dispose();
}
