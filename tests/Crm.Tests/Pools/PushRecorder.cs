using System.Collections.Concurrent;
using System.Text.Json;
using Crm.Grains.Push;

namespace Crm.Tests.Pools;

/// <summary>Records the events pushed on a channel, for tests that count what a rep was sent.</summary>
public sealed class PushRecorder : IPushObserver
{
    private readonly ConcurrentQueue<PushMessage> _messages = new();

    public Task Deliver(string channel, PushMessage message)
    {
        _messages.Enqueue(message);
        return Task.CompletedTask;
    }

    public IReadOnlyList<T> Events<T>() => _messages
        .Where(m => m.EventName == typeof(T).Name)
        .Select(m => JsonSerializer.Deserialize<T>(m.Json, EventPublisher.Json)!)
        .ToList();

    /// <summary>Pushes are one-way: wait (briefly, in real time) until <paramref name="count"/> events of a kind arrived.</summary>
    public async Task<IReadOnlyList<T>> WaitFor<T>(int count)
    {
        for (var i = 0; i < 100 && Events<T>().Count < count; i++)
        {
            await Task.Delay(20);
        }

        return Events<T>();
    }

    /// <summary>Gives in-flight pushes time to land before asserting that no more came.</summary>
    public async Task<IReadOnlyList<T>> Settled<T>()
    {
        await Task.Delay(300);
        return Events<T>();
    }
}
