using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Crm.Client;
using Crm.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Crm.Tests.Cluster;

/// <summary>
/// Three server processes on one PostgreSQL database, one of them killed with SIGKILL in the middle of a storm of
/// claims, follow-ups and an import sent through all three. What a client was told happened must have happened, once:
/// every acknowledged follow-up is in its customer's timeline, every customer has one owner (the one whose claim was
/// acknowledged, and in that rep's private pool only), the import retried with its key on a surviving silo decides each
/// row once, and a rep's app that was connected to the dead silo resumes on another one with what it missed, once.
/// </summary>
public sealed class ThreeSiloFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Leads = 24;
    private const int ImportRows = 120;

    private readonly List<TempDirectory> _data = [new("crm-silo-1"), new("crm-silo-2"), new("crm-silo-3")];
    private PostgresDatabase _database = null!;
    private ServerProcess[] _silos = [];

    public async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        // A request that died with its silo holds its idempotency key this long; the retry then runs.
        _silos = await Task.WhenAll(_data.Select(d => ServerProcess.StartAsync(d.Path,
            new Dictionary<string, string>(_database.ServerSettings())
            {
                ["Crm__Idempotency__InFlightTimeout"] = "00:00:05",
                ["Crm__Storage__DatabaseTimeout"] = "00:00:30", // three silos starting at once on a loaded machine: a slow connection is not a fault here
            })));
    }

    [Fact]
    public async Task Killing_one_silo_mid_storm_loses_no_acknowledged_write_makes_no_double_owner_and_decides_each_imported_row_once()
    {
        var admin = await _silos[0].Api().LoginAsAdminAsync();
        await ClusterMembership.WaitForSilosAsync(admin, 3, TimeSpan.FromSeconds(90));
        var world = await TestWorld.CreateAsync(_silos[0]);
        var leads = new List<Guid>();
        for (var i = 0; i < Leads; i++)
        {
            leads.Add((await world.NewLeadAsync($"Storm lead {i}", $"Storm {i} Trading Co., Ltd.", $"+86 139 {i:D4} {Random.Shared.Next(1000, 9999)}")).Id);
        }

        // Rep A's app is connected to the silo that will die, and has seen one event.
        var received = new ConcurrentQueue<CustomerAssigned>();
        var first = await world.NewLeadAsync("Before the storm", null, null);
        var dying = Stream(_silos[2], world.RepA, received);
        await dying.StartAsync(0);
        (await world.Manager.AssignAsync(first.Id, world.RepA.UserId)).EnsureStatus(HttpStatusCode.OK);
        await UntilAsync(() => received.Any(e => e.CustomerId == first.Id), "rep A's app hears its first assignment");
        var lastSeen = dying.LastSeenId;

        var followUps = new ConcurrentBag<(Guid Customer, string Text)>();
        var claims = new ConcurrentBag<(Guid Customer, string Rep)>();
        using var stop = new CancellationTokenSource();
        var workers = new[] { world.RepA, world.RepB }.SelectMany((rep, r) => Enumerable.Range(0, 3)
            .Select(w => Task.Run(() => StormAsync(rep, leads, r * 7 + w * 5, claims, followUps, stop.Token)))).ToList();

        await UntilAsync(() => claims.Count + followUps.Count >= 12, "the storm is under way");
        var importKey = $"storm-import-{Guid.NewGuid():N}";
        var csv = ImportCsv(importKey[^8..], Random.Shared.Next(1000, 9999));
        var import = ImportAsync(On(_silos[2], world.Manager), world.PoolId, csv, importKey, TimeSpan.FromSeconds(60));
        await Task.Delay(300);
        await _silos[2].KillAsync();
        await Task.Delay(TimeSpan.FromSeconds(4));
        stop.Cancel();
        await Task.WhenAll(workers);
        await dying.DisposeAsync();
        var (firstAnswer, _) = await import; // answered or cut off with its silo: either way the retry below must decide each row once

        await ClusterMembership.WaitForSilosAsync(admin, 2, TimeSpan.FromSeconds(120));

        // Every acknowledged follow-up is in the timeline of its customer.
        var stormFollowUps = 0;
        foreach (var customer in followUps.GroupBy(f => f.Customer))
        {
            var texts = (await admin.TimelineAsync(customer.Key)).EnsureStatus(HttpStatusCode.OK).Value!.Select(e => e.Text).ToHashSet();
            stormFollowUps += texts.Count(t => t?.StartsWith("storm ", StringComparison.Ordinal) == true);
            var missing = customer.Where(f => !texts.Contains(f.Text)).ToList();
            Assert.True(missing.Count == 0, $"{missing.Count} acknowledged follow-ups of {customer.Key} are missing");
        }

        output.WriteLine($"acknowledged: {claims.Count} claims, {followUps.Count} follow-ups; found {stormFollowUps} storm follow-ups in the timelines " +
                         $"({stormFollowUps - followUps.Count} committed but unanswered when their silo died or the storm stopped)");

        // One acknowledged claim at most per customer, and its owner is that claimant, listed in that rep's private pool only.
        var poolA = await PrivatePoolAsync(admin, world.RepA.UserId);
        var poolB = await PrivatePoolAsync(admin, world.RepB.UserId);
        Assert.Empty(poolA.Intersect(poolB));
        foreach (var lead in leads)
        {
            var owner = (await admin.GetCustomerAsync(lead)).EnsureStatus(HttpStatusCode.OK).Value!.OwnerId;
            // A claim by the rep who already owns it is answered 200 again; two different claimants would be a double owner.
            var claimants = claims.Where(c => c.Customer == lead).Select(c => c.Rep).Distinct().ToList();
            Assert.True(claimants.Count <= 1, $"{lead} was acknowledged to {string.Join(" and ", claimants)}");
            if (claimants.Count == 1)
            {
                Assert.Equal(claimants[0], owner);
            }

            Assert.Equal(owner == world.RepA.UserId, poolA.Contains(lead));
            Assert.Equal(owner == world.RepB.UserId, poolB.Contains(lead));
        }

        Assert.True(followUps.Count > 0 && claims.Count > 0, $"{claims.Count} claims and {followUps.Count} follow-ups acknowledged");

        // The import, retried with its key on a surviving silo, decides every row once.
        var report = await RetryImportAsync(On(_silos[0], world.Manager), world.PoolId, csv, importKey);
        Assert.Equal(ImportRows, report.Total);
        Assert.Equal(ImportRows, report.Rows.Select(r => r.Row).Distinct().Count());
        Assert.Equal(ImportRows, report.Created + report.Duplicates + report.Rejected);
        var tag = importKey[^8..];
        var found = (await admin.SearchAsync($"q={Uri.EscapeDataString(tag)}&pageSize=200")).EnsureStatus(HttpStatusCode.OK).Value!;
        var stored = found.Items.Where(c => c.Name.StartsWith($"Import {tag} ", StringComparison.Ordinal)).ToList();
        Assert.True(stored.Count == ImportRows, $"{stored.Count} customers of the import stored: " +
            string.Join(", ", stored.GroupBy(c => c.Name).Where(g => g.Count() > 1).Select(g => $"{g.Key} x{g.Count()}").Take(5)));
        Assert.Equal(report.Rows.Select(r => r.CustomerId!.Value).Order(), stored.Select(c => c.Id).Order());
        output.WriteLine($"import: first attempt on the killed silo {(firstAnswer is null ? "cut off" : $"answered {(int)firstAnswer.StatusCode}")}; " +
                         $"retry answered {report.Created} created, {report.Duplicates} duplicates, {report.Rejected} rejected; {stored.Count} stored");

        // Rep A's app resumes on a surviving silo and gets what happened while it was away, once.
        var away = await world.NewLeadAsync("While the app was away", null, null);
        (await On(_silos[1], world.Manager).AssignAsync(away.Id, world.RepA.UserId)).EnsureStatus(HttpStatusCode.OK);
        var resumed = new ConcurrentQueue<CustomerAssigned>();
        await using var back = Stream(_silos[0], world.RepA, resumed);
        await back.StartAsync(lastSeen);
        await UntilAsync(() => resumed.Any(e => e.CustomerId == away.Id), "rep A's app gets the assignment it missed");
        Assert.Single(resumed, e => e.CustomerId == away.Id);
        Assert.DoesNotContain(resumed, e => e.CustomerId == first.Id);
    }

    private async Task StormAsync(CrmApi rep, List<Guid> leads, int offset, ConcurrentBag<(Guid, string)> claims,
        ConcurrentBag<(Guid, string)> followUps, CancellationToken stop)
    {
        for (var i = offset; !stop.IsCancellationRequested; i++)
        {
            var lead = leads[i % leads.Count];
            var api = On(_silos[i % 3], rep);
            try
            {
                if ((await api.ClaimAsync(lead)).Status == HttpStatusCode.OK)
                {
                    claims.Add((lead, rep.UserId!));
                }

                var text = $"storm {Guid.NewGuid():N}";
                if ((await api.FollowUpAsync(lead, FollowUpType.Call, "reached", text)).Status == HttpStatusCode.Created)
                {
                    followUps.Add((lead, text));
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                // A request to the dead silo, or cut off by its death: not acknowledged, so nothing is owed for it.
            }
        }
    }

    private static CrmApi On(ServerProcess silo, CrmApi user) => new(silo.BaseAddress, user.Token) { UserId = user.UserId };

    private static CrmEventStream Stream(ServerProcess silo, CrmApi user, ConcurrentQueue<CustomerAssigned> received)
    {
        var stream = new CrmEventStream(silo.BaseAddress, () => Task.FromResult(user.Token));
        stream.CustomerAssigned += received.Enqueue;
        return stream;
    }

    private static string ImportCsv(string tag, int phoneSuffix)
    {
        var csv = new StringBuilder("name,company,phone\n");
        for (var i = 0; i < ImportRows; i++)
        {
            csv.Append($"Import {tag} {i},Import {tag} {i} Machinery Co.,+86 137 {i:D4} {phoneSuffix:D4}\n");
        }

        return csv.ToString();
    }

    private static async Task<(HttpResponseMessage? Response, string? Failure)> ImportAsync(CrmApi user, string poolId, string csv, string key,
        TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = user.BaseAddress, Timeout = timeout };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        http.DefaultRequestHeaders.Add("Idempotency-Key", key);
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        try
        {
            return (await http.PostAsync($"/api/customers/import?poolId={poolId}", content), null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (null, $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Retries as a client would: 409 while the dead request still holds the key, then the import's answer.</summary>
    private static async Task<ImportReport> RetryImportAsync(CrmApi user, string poolId, string csv, string key)
    {
        // Generous: on a loaded 2-core machine the survivors are busy re-activating what the dead silo held.
        var deadline = DateTime.UtcNow.AddMinutes(4);
        while (true)
        {
            var (response, failure) = await ImportAsync(user, poolId, csv, key, TimeSpan.FromMinutes(3));
            if (response is { StatusCode: HttpStatusCode.OK })
            {
                return (await response.Content.ReadFromJsonAsync<ImportReport>(CrmApi.Json))!;
            }

            var answer = response is null ? failure : $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            Assert.True(DateTime.UtcNow < deadline, $"the import retry still answers {answer}");
            await Task.Delay(1000);
        }
    }

    private static async Task<HashSet<Guid>> PrivatePoolAsync(CrmApi admin, string repId) =>
        (await admin.SendAsync<Page<CustomerDto>>(HttpMethod.Get, $"/api/reps/{repId}/customers?pageSize=200")).EnsureStatus(HttpStatusCode.OK)
            .Value!.Items.Select(c => c.Id).ToHashSet();

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within 30 s: {what}");
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
