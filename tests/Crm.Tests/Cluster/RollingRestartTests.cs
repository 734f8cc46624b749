using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using Crm.Client;
using Crm.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Crm.Tests.Cluster;

/// <summary>
/// Three server processes on one PostgreSQL database are restarted one after the other, each with a graceful stop
/// (SIGTERM: the web server stops taking connections and finishes the requests it has, then the silo leaves the
/// cluster and hands its grains over), while a rep's app keeps sending follow-ups and reads through all three.
/// <para>
/// "Fails no request" means, exactly: every call the app made through the typed client (<see cref="CrmClient"/> as
/// shipped: a fresh Idempotency-Key on every command, up to two retries after a 503, a 409 with Retry-After or a lost
/// connection) returned its answer; none threw. The app talks to the silos as through a load balancer: each request
/// goes to the next silo in turn, and to the following one when the connection is refused (the port is closed, so no
/// server saw it). Nothing else is retried. The test prints how many refusals were sent on and how many answers the
/// client library retried. Every acknowledged follow-up is in its customer's timeline afterwards, exactly once.
/// </para>
/// </summary>
[Collection(ThreeSiloCollection.Name)]
public sealed class RollingRestartTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Leads = 12;
    private const int Workers = 4;

    private readonly List<TempDirectory> _data = [new("crm-silo-1"), new("crm-silo-2"), new("crm-silo-3")];
    private PostgresDatabase _database = null!;
    private ServerProcess[] _silos = [];

    public async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        // A loaded machine makes the database slow to answer; the default 5 s would turn that into 503s.
        _silos = await Task.WhenAll(_data.Select(d => ServerProcess.StartAsync(d.Path,
            new Dictionary<string, string>(_database.ServerSettings()) { ["Crm__Storage__DatabaseTimeout"] = "00:00:30" })));
    }

    [Fact]
    public async Task A_rolling_restart_with_graceful_stops_fails_no_request_and_loses_no_follow_up()
    {
        var admin = await _silos[0].Api().LoginAsAdminAsync();
        await ClusterMembership.WaitForSilosAsync(admin, 3, TimeSpan.FromSeconds(90));
        var world = await TestWorld.CreateAsync(_silos[0]);
        var leads = new List<Guid>();
        for (var i = 0; i < Leads; i++)
        {
            var lead = await world.NewLeadAsync($"Rolling lead {i}", null, null);
            (await world.Manager.AssignAsync(lead.Id, world.RepA.UserId)).EnsureStatus(HttpStatusCode.OK);
            leads.Add(lead.Id);
        }

        var app = new App(_silos, world.RepA.Token!);
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(() => app.RunAsync(leads, w, stop.Token))).ToList();
        await UntilAsync(() => app.Acknowledged.Count >= 10, "the app's requests are under way");

        for (var i = 0; i < _silos.Length; i++)
        {
            var before = app.Sent;
            await _silos[i].StopAsync();
            await _silos[i].StartAsync();
            var survivor = new CrmApi(_silos[(i + 1) % 3].BaseAddress, admin.Token);
            await ClusterMembership.WaitForSilosAsync(survivor, 3, TimeSpan.FromSeconds(120));
            output.WriteLine($"silo {i + 1} restarted; {app.Sent - before} requests sent meanwhile");
        }

        // The restarted silos take requests too, before the app stops.
        var afterRestarts = app.Sent;
        await UntilAsync(() => app.Sent >= afterRestarts + 20, "the app goes on after the restarts");
        stop.Cancel();
        await Task.WhenAll(workers);

        output.WriteLine($"sent {app.Sent} requests ({app.Acknowledged.Count} follow-ups acknowledged), {app.Refused} connection refusals " +
                         $"sent on to the next silo, {app.Retried.Count} answers or lost connections the client library retried " +
                         $"({string.Join(" | ", app.Retried.Take(3))}), {app.Failures.Count} failed");
        foreach (var (silo, n) in _silos.Select((s, n) => (s, n + 1)))
        {
            // The calls the servers ran once more after a silo refused them (RefusedCallRetry).
            foreach (var line in silo.Output.Where(l => l.Contains("running it once more", StringComparison.Ordinal)).Take(6))
            {
                output.WriteLine($"silo {n}: {line[..Math.Min(line.Length, 1500)]}");
            }
        }

        if (!app.Failures.IsEmpty)
        {
            // What the servers said about it (one line per entry, exceptions included).
            foreach (var (silo, n) in _silos.Select((s, n) => (s, n + 1)))
            {
                foreach (var line in silo.Output.Where(l => l.Contains(" fail: ", StringComparison.Ordinal)).Take(4))
                {
                    output.WriteLine($"silo {n}: {line[..Math.Min(line.Length, 3000)]}");
                }
            }
        }

        Assert.True(app.Failures.IsEmpty, $"{app.Failures.Count} requests failed: {string.Join(" | ", app.Failures.Take(5))}");

        foreach (var customer in app.Acknowledged.GroupBy(f => f.Customer))
        {
            var texts = (await new CrmApi(_silos[0].BaseAddress, admin.Token).TimelineAsync(customer.Key)).EnsureStatus(HttpStatusCode.OK)
                .Value!.Select(e => e.Text).ToList();
            // Exactly once: a command retried after a lost connection carries its key, so it ran at most once.
            Assert.All(customer, f => Assert.Single(texts, t => t == f.Text));
        }
    }

    /// <summary>
    /// A rep's app: the typed client (<see cref="CrmClient"/>, its keys and its retries as shipped) over a handler that
    /// sends each request to the next silo in turn and on to the following one when the connection is refused.
    /// </summary>
    private sealed class App(ServerProcess[] silos, string token)
    {
        private readonly Failover _failover = new(silos.Select(s => s.BaseAddress).ToArray());
        private int _sent;

        public ConcurrentBag<(Guid Customer, string Text)> Acknowledged { get; } = [];

        public ConcurrentQueue<string> Failures { get; } = new();

        public int Sent => Volatile.Read(ref _sent);

        public int Refused => _failover.Refused;

        /// <summary>Answers the client library retried: 503, 409 with Retry-After, or a connection lost after the request went out.</summary>
        public IReadOnlyCollection<string> Retried => _failover.Retryable;

        public async Task RunAsync(List<Guid> leads, int worker, CancellationToken stop)
        {
            using var client = new CrmClient(silos[0].BaseAddress, _failover.Handler()) { AccessToken = token };
            for (var i = worker; !stop.IsCancellationRequested; i += Workers)
            {
                var lead = leads[i % leads.Count];
                var text = $"rolling {Guid.NewGuid():N}";
                if (await SendAsync(() => client.AddFollowUpAsync(lead, new FollowUpRequest(FollowUpType.Call, "reached", text))))
                {
                    Acknowledged.Add((lead, text));
                }

                await SendAsync(() => client.GetCustomerAsync(lead));
            }
        }

        private async Task<bool> SendAsync<T>(Func<Task<T>> request)
        {
            Interlocked.Increment(ref _sent);
            try
            {
                await request();
                return true;
            }
            catch (Exception e)
            {
                Failures.Enqueue($"{e.GetType().Name}: {e.Message} {e.InnerException?.Message}");
                return false;
            }
        }
    }

    /// <summary>What a load balancer in front of the silos does: a refused connection (nothing reached that silo) goes to the next one.</summary>
    private sealed class Failover(Uri[] silos)
    {
        private readonly Uri[] _silos = silos;
        private int _next;
        private int _refused;

        public int Refused => Volatile.Read(ref _refused);

        public ConcurrentQueue<string> Retryable { get; } = new();

        public HttpMessageHandler Handler() => new Route(this) { InnerHandler = new SocketsHttpHandler() };

        private sealed class Route(Failover failover) : DelegatingHandler
        {
            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var first = Interlocked.Increment(ref failover._next);
                var path = request.RequestUri!.PathAndQuery;
                for (var attempt = 0; ; attempt++)
                {
                    request.RequestUri = new Uri(failover._silos[(first + attempt) % failover._silos.Length], path);
                    try
                    {
                        var response = await base.SendAsync(request, cancellationToken);
                        if ((int)response.StatusCode is 503 or 409 && response.Headers.RetryAfter is not null)
                        {
                            failover.Retryable.Enqueue($"{request.Method} {path}: {(int)response.StatusCode}");
                        }

                        return response;
                    }
                    catch (HttpRequestException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused }
                                                         && attempt < failover._silos.Length - 1)
                    {
                        Interlocked.Increment(ref failover._refused);
                    }
                    catch (HttpRequestException e)
                    {
                        failover.Retryable.Enqueue($"{request.Method} {path}: {e.Message}");
                        throw;
                    }
                }
            }
        }
    }

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within 60 s: {what}");
            await Task.Delay(50);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }

        await _database.DisposeAsync();
        _data.ForEach(d => d.Dispose());
    }
}
