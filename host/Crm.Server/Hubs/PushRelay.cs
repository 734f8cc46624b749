using System.Collections.Concurrent;
using System.Text.Json;
using Crm.Client;
using Crm.Grains.Notifications;
using Crm.Grains.Org;
using Crm.Grains.Push;
using Microsoft.AspNetCore.SignalR;

namespace Crm.Server.Hubs;

/// <summary>
/// This silo's end of the push path: subscribed to the inboxes of the users connected here (and to the channel grains
/// of the pools their connections watch), it forwards their messages to the local SignalR groups, one user's in the
/// order the inbox numbered them. A connection that has not
/// resumed (group <c>rep:{id}</c>) gets each event as its typed method; one that resumed from a last seen id (group
/// <c>inbox:{id}</c>) gets it as a numbered <see cref="Notification"/>. Subscriptions are renewed every minute, so an
/// inbox that moved or restarted learns of this silo again.
/// </summary>
public sealed class PushRelay(IGrainFactory grains, IHubContext<RepHub> hub, HubSessions sessions, OrgTreeCache tree, ILogger<PushRelay> logger)
    : IPushObserver, IHostedService, IDisposable
{
    private static readonly TimeSpan Renewal = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, int> _listeners = new();
    private readonly Dictionary<string, Task> _sending = [];
    private IPushObserver? _reference;
    private Timer? _renewal;

    public Task Deliver(string userId, IReadOnlyList<LiveMessage> messages)
    {
        // Calls on this observer may run side by side: each user's batches are chained so they leave in id order.
        lock (_sending)
        {
            var previous = _sending.GetValueOrDefault(userId) ?? Task.CompletedTask;
            Task next = null!;
            next = previous.ContinueWith(_ => SendAsync(userId, messages), TaskScheduler.Default).Unwrap()
                .ContinueWith(t => Finished(userId, next, t), TaskScheduler.Default);
            _sending[userId] = next;
        }

        return Task.CompletedTask;
    }

    private void Finished(string userId, Task sent, Task outcome)
    {
        if (outcome.Exception is { } ex)
        {
            logger.LogWarning(ex, "Could not forward pushes to the connections of {UserId}", userId);
        }

        lock (_sending)
        {
            if (_sending.TryGetValue(userId, out var last) && ReferenceEquals(last, sent))
            {
                _sending.Remove(userId);
            }
        }
    }

    public async Task DeliverToChannel(string channel, PushMessage message)
    {
        JsonElement data;
        using (var json = JsonDocument.Parse(message.Json))
        {
            data = json.RootElement.Clone();
        }

        await hub.Clients.GroupExcept(channel, await ConnectionsHearingAsync(message.AlsoTo)).SendAsync(message.EventName, data);
    }

    /// <summary>The connections here whose users hear a message through one of <paramref name="channels"/> (their own message centers).</summary>
    private async Task<IReadOnlyList<string>> ConnectionsHearingAsync(IReadOnlyList<string>? channels)
    {
        if (channels is not { Count: > 0 })
        {
            return [];
        }

        var users = new HashSet<string>(StringComparer.Ordinal);
        foreach (var channel in channels)
        {
            users.UnionWith(await PushChannels.RecipientsAsync(channel, tree));
        }

        return sessions.ConnectionsOf(users);
    }

    private async Task SendAsync(string userId, IReadOnlyList<LiveMessage> messages)
    {
        foreach (var (id, message) in messages)
        {
            JsonElement data;
            using (var json = JsonDocument.Parse(message.Json))
            {
                data = json.RootElement.Clone();
            }

            await hub.Clients.Group(PushChannels.Rep(userId)).SendAsync(message.EventName, data);
            await hub.Clients.Group(PushChannels.Inbox(userId))
                .SendAsync("Notification", new Notification(id, message.EventName, message.At, data));
        }
    }

    /// <summary>A connection here listens on a channel: a user's own (<c>rep:{id}</c>, through its inbox) or a pool's.</summary>
    public async Task AddListenerAsync(string channel)
    {
        if (_listeners.AddOrUpdate(channel, 1, (_, n) => n + 1) == 1)
        {
            await SubscribeAsync(channel);
        }
    }

    public async Task RemoveListenerAsync(string channel)
    {
        if (_listeners.AddOrUpdate(channel, 0, (_, n) => n - 1) <= 0 && _listeners.TryRemove(new(channel, 0)))
        {
            await (PushChannels.UserOf(channel) is { } userId
                ? grains.GetGrain<IInboxGrain>(userId).Unsubscribe(Reference)
                : grains.GetGrain<IPushChannelGrain>(channel).Unsubscribe(Reference));
        }
    }

    private Task SubscribeAsync(string channel) => PushChannels.UserOf(channel) is { } userId
        ? grains.GetGrain<IInboxGrain>(userId).Subscribe(Reference)
        : grains.GetGrain<IPushChannelGrain>(channel).Subscribe(Reference);

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
                await SubscribeAsync(channel);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Could not renew the push subscription of {Channel}", channel);
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
