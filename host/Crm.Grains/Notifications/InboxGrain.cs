using Crm.Grains.Common;
using Crm.Grains.Push;
using Crm.Grains.Storage;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Utilities;

namespace Crm.Grains.Notifications;

/// <summary>
/// A user's message center. Messages that arrive while a write is under way wait for the next one, so a busy
/// inbox stores many per group commit instead of one per round trip; ids are given on arrival, in order, and a
/// batch is forwarded to the live connections only after it is stored, so a client never sees an id that a
/// catch-up read could not find. Reentrant for that batching: everything between awaits runs alone, as in any grain.
/// </summary>
[Reentrant]
public sealed class InboxGrain(NotificationStore store, SqlBatchWriter writer, TimeProvider clock, ILogger<InboxGrain> logger)
    : Grain, IInboxGrain
{
    // Relays re-subscribe every minute; one that stopped doing so (its silo died) expires.
    private static readonly TimeSpan RelayExpiry = TimeSpan.FromMinutes(3);
    private static readonly NotificationInserts Inserts = new();

    private const int KeysRemembered = 512;

    private readonly ObserverManager<IPushObserver> _relays = new(RelayExpiry, logger);
    private RecentKeys _keys = null!;
    private List<(NotificationRow Row, PushMessage Message, TaskCompletionSource Stored)> _pending = [];
    private Task _flushing = Task.CompletedTask;
    private long _lastId;
    private bool _broken;

    private string UserId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (last, keys) = await store.TailAsync(UserId, KeysRemembered);
        _lastId = last;
        _keys = new RecentKeys(KeysRemembered, keys);
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

    public Task Append(PushMessage message)
    {
        if (message.Transient)
        {
            Forward([new LiveMessage(null, message)]);
            return Task.CompletedTask;
        }

        if (_broken)
        {
            throw new InvalidOperationException($"The inbox of {UserId} lost a write and restarts; the message is routed again later.");
        }

        if (!_keys.Add(message.Key ?? Guid.NewGuid().ToString("N")))
        {
            return Task.CompletedTask; // the same push routed again (two channels of one event, an outbox retry)
        }

        var now = clock.GetUtcNow();
        var row = new NotificationRow(UserId, ++_lastId, message.EventName, message.Json, message.Key ?? "",
            UnixTime.ToMs(message.At == default ? now : message.At), UnixTime.ToMs(now));
        var stored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending.Add((row, message, stored));
        if (_flushing.IsCompleted)
        {
            _flushing = FlushAsync();
        }

        return stored.Task;
    }

    private async Task FlushAsync()
    {
        while (_pending.Count > 0 && !_broken)
        {
            var batch = _pending.Count <= NotificationStore.MaxBatch ? _pending : _pending[..NotificationStore.MaxBatch];
            _pending = _pending.Count <= NotificationStore.MaxBatch ? [] : _pending[NotificationStore.MaxBatch..];
            try
            {
                await writer.WriteAsync(Inserts, batch.Select(p => p.Row).ToList());
            }
            catch (Exception ex)
            {
                // Ids were given to what is not stored: this activation's numbering is no longer the table's. Everything
                // waiting fails (its senders retry: the outbox does), and the next activation starts from the table.
                logger.LogWarning(ex, "Could not store {Count} notifications of {UserId}; the inbox restarts", batch.Count + _pending.Count, UserId);
                _broken = true;
                foreach (var (_, _, done) in batch.Concat(_pending))
                {
                    done.TrySetException(ex);
                }

                _pending = [];
                DeactivateOnIdle();
                return;
            }

            foreach (var (_, _, done) in batch)
            {
                done.TrySetResult();
            }

            Forward(batch.Select(p => new LiveMessage(p.Row.Id, p.Message)).ToList());
        }
    }

    private void Forward(IReadOnlyList<LiveMessage> messages)
    {
        var userId = UserId;
        _relays.Notify(relay => relay.Deliver(userId, messages));
    }
}
