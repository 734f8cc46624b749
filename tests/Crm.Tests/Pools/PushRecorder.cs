using System.Collections.Concurrent;
using System.Text.Json;
using Crm.Grains.Push;

namespace Crm.Tests.Pools;

/// <summary>Records the events pushed on a channel, for tests that count what a rep was sent.</summary>
public sealed class PushRecorder(IGrainFactory grains, string channel) : IPushObserver
{
    private const string MarkerEvent = "test-marker";

    private readonly ConcurrentQueue<PushMessage> _messages = new();

    public Task Deliver(string userId, IReadOnlyList<LiveMessage> messages)
    {
        foreach (var live in messages)
        {
            _messages.Enqueue(live.Message);
        }

        return Task.CompletedTask;
    }

    public Task DeliverToChannel(string channel, PushMessage message)
    {
        _messages.Enqueue(message);
        return Task.CompletedTask;
    }

    public IReadOnlyList<T> Events<T>() => _messages
        .Where(m => m.EventName == typeof(T).Name)
        .Select(m => JsonSerializer.Deserialize<T>(m.Json, EventPublisher.Json)!)
        .ToList();

    /// <summary>Pushes are one-way: wait (up to 10 s, in real time) until <paramref name="count"/> events of a kind arrived.</summary>
    public async Task<IReadOnlyList<T>> WaitFor<T>(int count)
    {
        for (var i = 0; i < 500 && Events<T>().Count < count; i++)
        {
            await Task.Delay(20);
        }

        return Events<T>();
    }

    /// <summary>
    /// Waits until the pushes already sent on the channel have landed, before asserting that no more came: sends a
    /// marker through the same channel grain and inbox (which relay in order) and waits for it to arrive.
    /// </summary>
    public async Task<IReadOnlyList<T>> Settled<T>()
    {
        var marker = new PushMessage(MarkerEvent, Guid.NewGuid().ToString("N"), Key: Guid.NewGuid().ToString("N"));
        await grains.GetGrain<IPushChannelGrain>(channel).Publish(marker);
        for (var i = 0; i < 500 && !_messages.Contains(marker); i++)
        {
            await Task.Delay(20);
        }

        Assert.True(_messages.Contains(marker), $"the marker sent on {channel} did not arrive in 10 s");
        return Events<T>();
    }
}
