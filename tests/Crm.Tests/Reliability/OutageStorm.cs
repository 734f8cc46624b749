using System.Collections.Concurrent;
using System.Net;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Reliability;

/// <summary>
/// Follow-ups sent to a few customers by several workers at once, each with a text of its own, so that afterwards every
/// request can be looked for in the timelines: what was acknowledged (201) must be there, what failed must not.
/// </summary>
public sealed class OutageStorm(CrmApi api, IReadOnlyList<Guid> customers)
{
    private readonly ConcurrentBag<(Guid Customer, string Text, HttpStatusCode Status, string? Code, bool RetryAfter)> _sent = [];
    private int _next;
    private long _longestTicks;

    /// <summary>The longest any request took to be answered.</summary>
    public TimeSpan Longest => TimeSpan.FromTicks(Interlocked.Read(ref _longestTicks));

    public IEnumerable<HttpStatusCode> Statuses => _sent.Select(s => s.Status);

    public IReadOnlyList<string> Acknowledged => _sent.Where(s => s.Status == HttpStatusCode.Created).Select(s => s.Text).ToList();

    public IReadOnlyList<string> Failed => _sent.Where(s => s.Status != HttpStatusCode.Created).Select(s => s.Text).ToList();

    /// <summary>Every failure was a 503 with the outage code and a Retry-After header.</summary>
    public bool FailuresAreOutageAnswers => _sent.Where(s => s.Status != HttpStatusCode.Created)
        .All(s => s.Status == HttpStatusCode.ServiceUnavailable && s.Code == ErrorCodes.DatabaseUnavailable && s.RetryAfter);

    /// <summary><paramref name="workers"/> workers send <paramref name="each"/> follow-ups one after the other.</summary>
    public Task RunAsync(int workers, int each) => Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
    {
        for (var i = 0; i < each; i++)
        {
            await SendOneAsync();
        }
    }));

    /// <summary>Runs <paramref name="workers"/> workers until <paramref name="until"/> completes (at most <paramref name="limit"/> requests each).</summary>
    public Task RunUntilAsync(int workers, Task until, int limit) => Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
    {
        for (var i = 0; i < limit && !until.IsCompleted; i++)
        {
            await SendOneAsync();
        }
    }));

    public async Task SendOneAsync()
    {
        var n = Interlocked.Increment(ref _next);
        var customer = customers[n % customers.Count];
        var text = $"storm call {n} {Guid.NewGuid():N}";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/customers/{customer}/follow-ups")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new FollowUpRequest(FollowUpType.Call, "reached", text), options: CrmApi.Json),
        };
        var started = System.Diagnostics.Stopwatch.StartNew();
        var (status, code, retryAfter) = await api.SendRawAsync(request);
        var took = started.Elapsed.Ticks;
        for (var longest = Interlocked.Read(ref _longestTicks); took > longest; longest = Interlocked.Read(ref _longestTicks))
        {
            Interlocked.CompareExchange(ref _longestTicks, took, longest);
        }

        _sent.Add((customer, text, status, code, retryAfter));
    }

    /// <summary>Texts of every follow-up the customers' timelines hold.</summary>
    public async Task<IReadOnlyList<string>> StoredTextsAsync()
    {
        var texts = new List<string>();
        foreach (var customer in customers)
        {
            var timeline = (await api.TimelineAsync(customer)).EnsureStatus(HttpStatusCode.OK).Value!;
            texts.AddRange(timeline.Where(e => e.Kind == "follow-up").Select(e => e.Text ?? ""));
        }

        return texts;
    }

    /// <summary>Acknowledged writes are all stored, once each; failed ones are all absent.</summary>
    public async Task AssertNoLostAndNoPhantomWritesAsync()
    {
        var stored = await StoredTextsAsync();
        var acknowledged = Acknowledged;
        Assert.Empty(acknowledged.Except(stored));
        Assert.Empty(Failed.Intersect(stored));
        Assert.Equal(stored.Count, stored.Distinct().Count());
        Assert.Equal(acknowledged.Count, stored.Count(s => s.StartsWith("storm call", StringComparison.Ordinal)));
    }
}
