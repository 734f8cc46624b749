using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Dedup;

/// <summary>
/// Never fail open (docs/dedup.md): customers created or imported while a dedup strategy fails are stored, queued and
/// indexed when it recovers, and the index is rebuilt on demand; against a real server whose plugin really fails.
/// </summary>
public abstract class DedupOutageScenarios(DedupOutageFixture fixture) : IDisposable
{
    protected static readonly PoolRules WithOutageKeys = new() { Dedup = new DedupRule(["identity-keys", "outage-keys"], "block") };

    protected static string Mobile() => "137" + Random.Shared.Next(10_000_000, 99_999_999);

    protected static string Tag() => Guid.NewGuid().ToString("N")[..8];

    protected DedupOutageFixture Fixture => fixture;

    public void Dispose() => fixture.Up();

    [Fact]
    public async Task Creates_and_imports_during_an_outage_are_queued_then_indexed_so_a_later_duplicate_is_blocked()
    {
        var world = await TestWorld.CreateAsync(fixture.Server, WithOutageKeys);
        var contact = $"Outage Contact {Tag()}";
        fixture.Down();
        // A check during the outage says which strategy did not answer: "no duplicate" is not a clean bill.
        var check = (await world.Manager.SendAsync<DedupCheckResponse>(HttpMethod.Post, "/api/customers/check",
            new CreateCustomerRequest(contact, $"Checked {Tag()} Ltd", Mobile(), PoolId: world.PoolId))).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.False(check.Complete);
        Assert.Equal(["outage-keys"], check.UnavailableStrategies);

        var first = (await world.Manager.CreateCustomerAsync(new CreateCustomerRequest(contact, $"First {Tag()} Ltd", Mobile(), PoolId: world.PoolId)))
            .EnsureStatus(HttpStatusCode.Created).Value!;
        // The strategy that would have seen the same contact cannot answer: the second is stored too, never silently unkeyed.
        var second = (await world.Manager.CreateCustomerAsync(new CreateCustomerRequest(contact, $"Second {Tag()} Ltd", Mobile(), PoolId: world.PoolId)))
            .EnsureStatus(HttpStatusCode.Created).Value!;
        var imported = await ImportAsync(world.Manager, world.PoolId, $"name,company,phone\n{contact},Third {Tag()} Ltd,{Mobile()}\n");
        var third = Assert.Single(imported.Rows);
        Assert.Equal("created", third.Status);

        foreach (var id in new[] { first.Id, second.Id, third.CustomerId!.Value })
        {
            var created = (await world.Admin.TimelineAsync(id)).Value!.Single(e => e.Kind == "created");
            Assert.Equal("true", created.Data!["dedupPending"]);
        }

        var during = await StatusAsync(world.Admin);
        Assert.True(during.Pending >= 3, $"{during.Pending} queued");
        Assert.NotNull(during.OldestPendingAt);
        Assert.Contains("outage-keys", during.LastError!.Message);

        fixture.Up();
        await EventuallyAsync(async () => (await StatusAsync(world.Admin)).Pending == 0);

        // Indexed now under the recovered strategy's keys; the pairs it finds are flagged for a person, not merged.
        var firstTimeline = (await world.Admin.TimelineAsync(first.Id)).Value!;
        Assert.Contains(firstTimeline, e => e.Kind == "dedup-indexed" && e.Data!["trigger"] == "retry");
        Assert.Contains(firstTimeline, e => e.Kind == "duplicate-flagged");
        Assert.Contains((await world.Admin.TimelineAsync(second.Id)).Value!, e => e.Kind == "duplicate-flagged");
        (await world.Admin.GetCustomerAsync(second.Id)).EnsureStatus(HttpStatusCode.OK);

        var later = await world.Manager.CreateCustomerAsync(new CreateCustomerRequest(contact, $"Fourth {Tag()} Ltd", Mobile(), PoolId: world.PoolId));
        later.EnsureStatus(HttpStatusCode.Conflict);
        Assert.Equal(ErrorCodes.Duplicate, later.Code);
        Assert.StartsWith("contact:", later.Problem!.Value.GetProperty("matchedKey").GetString());
    }

    [Fact]
    public async Task A_reindex_gives_existing_customers_the_keys_of_a_strategy_added_later()
    {
        var world = await TestWorld.CreateAsync(fixture.Server, new PoolRules { Dedup = new DedupRule(["identity-keys"], "block") });
        var contact = $"Reindex Contact {Tag()}";
        var old = (await world.Manager.CreateCustomerAsync(new CreateCustomerRequest(contact, $"Old {Tag()} Ltd", Mobile(), PoolId: world.PoolId)))
            .EnsureStatus(HttpStatusCode.Created).Value!;
        (await world.Admin.SendAsync<PoolDto>(HttpMethod.Put, $"/api/pools/{world.PoolId}/rules", WithOutageKeys)).EnsureStatus(HttpStatusCode.OK);
        var lead = new CreateCustomerRequest(contact, $"New {Tag()} Ltd", Mobile(), PoolId: world.PoolId);
        Assert.False((await world.Manager.SendAsync<DedupCheckResponse>(HttpMethod.Post, "/api/customers/check", lead)).Value!.Duplicate);

        var (location, job) = await StartReindexAsync(world.Admin);
        Assert.Equal($"/api/admin/dedup/reindex/{job.Id}", location);
        var done = await FinishedAsync(world.Admin, location);

        Assert.True(done.Processed >= done.Total && done.Changed >= 1, $"{done.Processed} of {done.Total}, {done.Changed} changed");
        Assert.Contains((await world.Admin.TimelineAsync(old.Id)).Value!, e => e.Kind == "dedup-indexed" && e.Data!["trigger"] == "reindex");
        var check = (await world.Manager.SendAsync<DedupCheckResponse>(HttpMethod.Post, "/api/customers/check", lead)).Value!;
        Assert.Contains(check.Matches, m => m.CustomerId == old.Id && m.KeyKind == "contact");
        Assert.Equal(ErrorCodes.Duplicate, (await world.Manager.CreateCustomerAsync(lead)).EnsureStatus(HttpStatusCode.Conflict).Code);
        var status = await StatusAsync(world.Admin);
        Assert.Equal(done.Id, status.Reindex!.Id);
        Assert.True(status.Index.Customers > 0 && status.Index.Keys >= status.Index.Customers);
    }

    protected static async Task<DedupStatusDto> StatusAsync(CrmApi admin) =>
        (await admin.SendAsync<DedupStatusDto>(HttpMethod.Get, "/api/admin/dedup/status")).EnsureStatus(HttpStatusCode.OK).Value!;

    protected static async Task<(string Location, DedupReindexJobDto Job)> StartReindexAsync(CrmApi admin)
    {
        using var http = Client(admin);
        var response = await http.PostAsync("/api/admin/dedup/reindex", null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode} {body}");
        return (response.Headers.Location!.OriginalString, JsonSerializer.Deserialize<DedupReindexJobDto>(body, CrmApi.Json)!);
    }

    protected async Task<DedupReindexJobDto> FinishedAsync(CrmApi admin, string location)
    {
        DedupReindexJobDto? job = null;
        await EventuallyAsync(async () =>
            (job = (await admin.SendAsync<DedupReindexJobDto>(HttpMethod.Get, location)).EnsureStatus(HttpStatusCode.OK).Value!).Status == "finished");
        return job!;
    }

    private static async Task<ImportReport> ImportAsync(CrmApi user, string poolId, string csv)
    {
        using var http = Client(user);
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        var response = await http.PostAsync($"/api/customers/import?poolId={poolId}", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonSerializer.Deserialize<ImportReport>(body, CrmApi.Json)!;
    }

    private static HttpClient Client(CrmApi user)
    {
        var http = new HttpClient { BaseAddress = user.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        return http;
    }

    /// <summary>Asks until the answer is the expected one; a bound of 20 s where the retrier needs about a second.</summary>
    protected async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Not reached within 20 s. The server's log ends:\n" + string.Join('\n', fixture.Server.Output.TakeLast(12).Select(l => l.Length > 600 ? l[..600] : l)));
            await Task.Delay(100);
        }
    }
}

/// <summary>The scenarios on SQLite, and what needs a process of its own: a budget overrun, a kill and restart.</summary>
[Collection(DedupOutageCollection.Name)]
public sealed class DedupOutageTests(DedupOutageFixture fixture) : DedupOutageScenarios(fixture)
{
    private const string Faulty = "Crm.TestPlugins.Faulty";

    [Fact]
    public async Task A_strategy_that_runs_past_its_budget_queues_the_customer_too()
    {
        var world = await TestWorld.CreateAsync(Fixture.Server, WithOutageKeys);
        Fixture.Down(hang: true);

        var customer = (await world.Manager.CreateCustomerAsync(new CreateCustomerRequest($"Slow Contact {Tag()}", null, Mobile(), PoolId: world.PoolId)))
            .EnsureStatus(HttpStatusCode.Created).Value!;

        Assert.Equal("true", (await world.Admin.TimelineAsync(customer.Id)).Value!.Single(e => e.Kind == "created").Data!["dedupPending"]);
        var status = await StatusAsync(world.Admin);
        Assert.True(status.Pending >= 1);
        Assert.Contains("time budget", status.LastError!.Message);
    }

    [Fact]
    public async Task A_strategy_the_pool_names_that_is_not_loaded_is_unavailable_and_its_customers_are_queued_until_it_is_back()
    {
        var world = await TestWorld.CreateAsync(Fixture.Server, WithOutageKeys);
        var contact = $"Unloaded Contact {Tag()}";
        try
        {
            Fixture.Plugins.Remove(Faulty);
            var reloaded = (await world.Admin.SendAsync<PluginListDto>(HttpMethod.Post, "/api/plugins/reload")).EnsureStatus(HttpStatusCode.OK).Value!;
            Assert.DoesNotContain(reloaded.Items, p => p.DedupStrategies.Contains("outage-keys"));
            // A missing strategy is a failing one: the check is not a clean bill, and a creation is queued.
            var check = (await world.Manager.SendAsync<DedupCheckResponse>(HttpMethod.Post, "/api/customers/check",
                new CreateCustomerRequest(contact, $"Checked {Tag()} Ltd", Mobile(), PoolId: world.PoolId))).EnsureStatus(HttpStatusCode.OK).Value!;
            Assert.False(check.Complete);
            Assert.Equal(["outage-keys"], check.UnavailableStrategies);

            var first = (await world.Manager.CreateCustomerAsync(new CreateCustomerRequest(contact, $"First {Tag()} Ltd", Mobile(), PoolId: world.PoolId)))
                .EnsureStatus(HttpStatusCode.Created).Value!;
            Assert.Equal("true", (await world.Admin.TimelineAsync(first.Id)).Value!.Single(e => e.Kind == "created").Data!["dedupPending"]);
            var during = await StatusAsync(world.Admin);
            Assert.True(during.Pending >= 1, $"{during.Pending} queued");
            Assert.Contains("outage-keys", during.LastError!.Message);
            Assert.Contains("not loaded", during.LastError!.Message);

            // Admins see which pools name a strategy no loaded plugin offers, on the reload's answer and on the listing.
            Assert.Contains(reloaded.Warnings ?? [], w => w.Contains("outage-keys") && w.Contains(world.PoolId));
            var listed = (await world.Admin.SendAsync<PluginListDto>(HttpMethod.Get, "/api/plugins")).EnsureStatus(HttpStatusCode.OK).Value!;
            Assert.Contains(listed.Warnings ?? [], w => w.Contains("outage-keys") && w.Contains(world.PoolId));

            // The plugin comes back: the queued customer is indexed under its keys and a later duplicate is blocked.
            Fixture.Plugins.WithTestPlugin(Faulty);
            (await world.Admin.SendAsync<PluginListDto>(HttpMethod.Post, "/api/plugins/reload")).EnsureStatus(HttpStatusCode.OK);
            await EventuallyAsync(async () => (await StatusAsync(world.Admin)).Pending == 0);
            Assert.Contains((await world.Admin.TimelineAsync(first.Id)).Value!, e => e.Kind == "dedup-indexed" && e.Data!["trigger"] == "retry");
            var later = await world.Manager.CreateCustomerAsync(new CreateCustomerRequest(contact, $"Later {Tag()} Ltd", Mobile(), PoolId: world.PoolId));
            Assert.Equal(ErrorCodes.Duplicate, later.EnsureStatus(HttpStatusCode.Conflict).Code);
        }
        finally
        {
            if (!Fixture.Plugins.Has(Faulty))
            {
                Fixture.Plugins.WithTestPlugin(Faulty);
                (await world.Admin.SendAsync<PluginListDto>(HttpMethod.Post, "/api/plugins/reload")).EnsureStatus(HttpStatusCode.OK);
            }
        }
    }

    [Fact]
    public async Task A_pool_naming_strategies_that_are_not_loaded_can_save_its_rules_unchanged_but_not_name_new_ones()
    {
        var rules = WithOutageKeys with { Assignment = new AssignmentRule("picks-stranger", Fallback: "round-robin") };
        var world = await TestWorld.CreateAsync(Fixture.Server, rules);
        try
        {
            Fixture.Plugins.Remove(Faulty);
            var reloaded = (await world.Admin.SendAsync<PluginListDto>(HttpMethod.Post, "/api/plugins/reload")).EnsureStatus(HttpStatusCode.OK).Value!;
            // The reload warns of the pool's dedup and assignment strategies that no loaded plugin offers now.
            Assert.Contains(reloaded.Warnings ?? [], w => w.Contains("dedup strategy 'outage-keys'") && w.Contains(world.PoolId));
            Assert.Contains(reloaded.Warnings ?? [], w => w.Contains("assignment strategy 'picks-stranger'") && w.Contains(world.PoolId));

            // The manager resends the unchanged strategies to change another rule: saved.
            var changed = rules with { CoolDownHours = 12 };
            var saved = (await world.Manager.SendAsync<PoolDto>(HttpMethod.Put, $"/api/pools/{world.PoolId}/rules", changed)).EnsureStatus(HttpStatusCode.OK).Value!;
            Assert.Equal(12, saved.Rules.CoolDownHours);
            Assert.Equal(["identity-keys", "outage-keys"], saved.Rules.Dedup!.Strategies);
            Assert.Equal("picks-stranger", saved.Rules.Assignment!.Strategy);

            // A strategy the pool did not name before must be loaded.
            var newDedup = changed with { Dedup = new DedupRule(["identity-keys", "outage-keys", "throwing-keys"], "block") };
            (await world.Manager.SendAsync<PoolDto>(HttpMethod.Put, $"/api/pools/{world.PoolId}/rules", newDedup)).EnsureStatus(HttpStatusCode.BadRequest);
            var newAssignment = changed with { Assignment = new AssignmentRule("always-throws", Fallback: "round-robin") };
            (await world.Manager.SendAsync<PoolDto>(HttpMethod.Put, $"/api/pools/{world.PoolId}/rules", newAssignment)).EnsureStatus(HttpStatusCode.BadRequest);
            // Nor may a kept strategy's options change: nothing can check them while it is not loaded.
            var newOptions = changed with { Assignment = changed.Assignment! with { Options = new Dictionary<string, string> { ["stranger"] = "yes" } } };
            var refused = await world.Manager.SendAsync<PoolDto>(HttpMethod.Put, $"/api/pools/{world.PoolId}/rules", newOptions);
            Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
            Assert.Contains("rules.assignment.options", refused.ErrorFields);
        }
        finally
        {
            if (!Fixture.Plugins.Has(Faulty))
            {
                Fixture.Plugins.WithTestPlugin(Faulty);
                (await world.Admin.SendAsync<PluginListDto>(HttpMethod.Post, "/api/plugins/reload")).EnsureStatus(HttpStatusCode.OK);
            }
        }
    }

    [Fact]
    public async Task A_second_reindex_while_one_runs_is_refused_and_a_killed_server_keeps_its_queue_and_job()
    {
        var world = await TestWorld.CreateAsync(Fixture.Server, WithOutageKeys);
        Fixture.Down();
        var queued = (await world.Manager.CreateCustomerAsync(new CreateCustomerRequest($"Restart Contact {Tag()}", null, Mobile(), PoolId: world.PoolId)))
            .EnsureStatus(HttpStatusCode.Created).Value!;
        // Hanging now: each step of the job waits for the strategy's budget, so the job is still running for the second call.
        Fixture.Down(hang: true);
        var (location, job) = await StartReindexAsync(world.Admin);
        var again = await world.Admin.SendAsync<JsonElement>(HttpMethod.Post, "/api/admin/dedup/reindex");
        again.EnsureStatus(HttpStatusCode.Conflict);
        Assert.Equal(ErrorCodes.ReindexRunning, again.Code);
        Assert.Equal(job.Id, again.Problem!.Value.GetProperty("jobId").GetString());

        await Fixture.Server.KillAsync();
        Fixture.Up();
        await Fixture.Server.StartAsync();
        var admin = await Fixture.Server.Api().LoginAsAdminAsync();

        var done = await FinishedAsync(admin, location);
        Assert.Equal(job.Id, done.Id);
        Assert.True(done.Processed >= done.Total, $"{done.Processed} of {done.Total}");
        await EventuallyAsync(async () => (await StatusAsync(admin)).Pending == 0);
        Assert.Contains((await admin.TimelineAsync(queued.Id)).Value!, e => e.Kind == "dedup-indexed");
    }
}

/// <summary>The queue, the retrier and the reindex on PostgreSQL.</summary>
[Collection(PostgresDedupOutageCollection.Name)]
public sealed class PostgresDedupOutageTests(PostgresDedupOutageFixture fixture) : DedupOutageScenarios(fixture);
