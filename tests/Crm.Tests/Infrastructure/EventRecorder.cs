using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using Crm.Client;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Tests.Infrastructure;

/// <summary>A real SignalR client on /hubs/reps that records every event it receives, by type.</summary>
public sealed class EventRecorder : IAsyncDisposable
{
    // Every event record of the wire contract (ClientEventCoverageTests checks that the server pushes no other).
    private static readonly string[] EventNames = typeof(ICrmPushEvent).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ICrmPushEvent).IsAssignableFrom(t))
        .Select(t => t.Name)
        .ToArray();

    private readonly HubConnection _connection;
    private readonly ConcurrentQueue<(string Name, JsonElement Payload)> _events = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private EventRecorder(HubConnection connection)
    {
        _connection = connection;
        connection.Closed += _ =>
        {
            _closed.TrySetResult();
            return Task.CompletedTask;
        };
        foreach (var name in EventNames)
        {
            connection.On<JsonElement>(name, payload => _events.Enqueue((name, payload)));
        }
    }

    public static async Task<EventRecorder> ConnectAsync(CrmApi user)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(user.BaseAddress, "/hubs/reps"), o => o.AccessTokenProvider = () => Task.FromResult(user.Token))
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)))
            .Build();
        var recorder = new EventRecorder(connection);
        await connection.StartAsync();
        await connection.InvokeAsync<string[]>("Channels"); // returns once the server has subscribed us
        return recorder;
    }

    public IReadOnlyList<(string Name, JsonElement Payload)> Events => _events.ToList();

    /// <summary>Completes when the connection ends (it does not reconnect), for instance when the server closes it.</summary>
    public Task Closed => _closed.Task;

    /// <summary>RepHub.WatchPool: true when the connection now hears the pool's claims, assignments, releases and recycles.</summary>
    public Task<bool> WatchPoolAsync(string poolId) => _connection.InvokeAsync<bool>("WatchPool", poolId);

    /// <summary>RepHub.WatchLeaderboard: true when the connection now hears LeaderboardChanged of that board (null: the caller's own).</summary>
    public Task<bool> WatchLeaderboardAsync(string? scopeId) => _connection.InvokeAsync<bool>("WatchLeaderboard", scopeId);

    /// <summary>The events of type T received so far that match.</summary>
    public IReadOnlyList<T> All<T>(Func<T, bool> match) => _events.Where(e => e.Name == typeof(T).Name)
        .Select(e => e.Payload.Deserialize<T>(CrmApi.Json)!).Where(match).ToList();

    /// <summary>Waits until an event of type T that matches arrives (events not about a customer); fails after the timeout.</summary>
    public async Task<T> WaitForAsync<T>(Func<T, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (DateTime.UtcNow < deadline)
        {
            if (All(match).FirstOrDefault() is { } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"No matching {typeof(T).Name}; received: {string.Join(", ", _events.Select(e => e.Name))}");
    }

    /// <summary>Waits until an event of type T about the customer arrives; fails after the timeout.</summary>
    public async Task<T> WaitForAsync<T>(Guid customerId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (DateTime.UtcNow < deadline)
        {
            foreach (var (name, payload) in _events)
            {
                if (name == typeof(T).Name && payload.GetProperty("customerId").GetGuid() == customerId)
                {
                    return payload.Deserialize<T>(CrmApi.Json)!;
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"No {typeof(T).Name} for {customerId}; received: {string.Join(", ", _events.Select(e => e.Name))}");
    }

    public bool Received<T>(Guid customerId) =>
        _events.Any(e => e.Name == typeof(T).Name && e.Payload.GetProperty("customerId").GetGuid() == customerId);

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();
}
