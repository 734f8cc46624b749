using System.Net;
using Crm.Client;
using Crm.Sdk;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Plugins;

[Collection(PluginServerCollection.Name)]
public sealed class PluginServerTests(PluginServerFixture fixture)
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task Server_with_broken_plugins_starts_serves_and_lists_every_plugin_with_its_state()
    {
        var world = await TestWorld.CreateAsync(Server);
        await world.NewLeadAsync();

        var plugins = await ListAsync(world.Admin);
        var asManager = await ListAsync(world.Manager);

        Assert.Equal(PluginState.Loaded, Single(plugins, "Crm.Plugins.Standard").State);
        Assert.Equal(PluginState.Loaded, Single(plugins, "Crm.TestPlugins.Good").State);
        Assert.Equal(["senior-first"], Single(plugins, "Crm.TestPlugins.Good").AssignmentStrategies);
        Assert.Contains("licence key missing", Single(plugins, "Crm.TestPlugins.ThrowsInRegister").Reason);
        Assert.Contains("Missing dependency", Single(plugins, "Crm.TestPlugins.MissingDependency").Reason);
        Assert.Equal(PluginState.Incompatible, Single(plugins, "Crm.TestPlugins.FutureSdk").State);
        Assert.Equal(PluginState.Failed, Single(plugins, "Acme.Corrupt").State);
        Assert.Contains(Server.Output, line => line.Contains("Plugin folder Crm.TestPlugins.FutureSdk skipped (Incompatible)"));
        // Managers see the same plugins and states; why a load failed is for admins (docs/security.md).
        Assert.Equal(plugins.Items.Select(p => (p.Name, p.State)), asManager.Items.Select(p => (p.Name, p.State)));
        Assert.DoesNotContain("licence key missing", Single(asManager, "Crm.TestPlugins.ThrowsInRegister").Reason);
    }

    [Fact]
    public async Task Third_party_strategy_answers_inside_a_grain_on_a_running_server()
    {
        var admin = await Server.Api().LoginAsAdminAsync();
        var request = Leads.Request() with
        {
            Candidates = [new RepCandidate { RepId = "li", Seniority = 1 }, new RepCandidate { RepId = "wang", Seniority = 4 }],
        };

        var trial = await TrialAsync(admin, "senior-first", "round-robin", request);

        Assert.Equal("wang", trial.RepId);
        Assert.False(trial.FellBack);
    }

    [Fact]
    public async Task Throwing_strategy_falls_back_and_the_fault_shows_in_the_plugin_list()
    {
        var admin = await Server.Api().LoginAsAdminAsync();
        var before = Faults(await ListAsync(admin), "always-throws");

        var trial = await TrialAsync(admin, "always-throws", "least-loaded", Leads.Request());

        Assert.True(trial.FellBack);
        Assert.Equal("least-loaded", trial.UsedStrategy);
        Assert.Equal("rep-a", trial.RepId);
        Assert.Equal(before + 1, Faults(await ListAsync(admin), "always-throws"));
    }

    [Fact]
    public async Task Hanging_strategy_is_cut_at_its_budget_and_the_server_keeps_serving()
    {
        var admin = await Server.Api().LoginAsAdminAsync();
        var request = Leads.Request(new Dictionary<string, string> { ["hangMs"] = "8000" });

        var trial = await TrialAsync(admin, "hangs", "round-robin", request);

        // The fault says the call was cut at its budget (the strategy itself blocks for 8 s): no wall-clock bound here.
        Assert.Equal("round-robin", trial.UsedStrategy);
        Assert.Contains(trial.Faults, f => f.Contains("exceeded its time budget of 2000 ms"));
        var hangs = (await ListAsync(admin)).Items.SelectMany(p => p.Strategies).Single(s => s.Name == "hangs");
        Assert.True(hangs.Timeouts >= 1);
        (await admin.GetAsync("/api/pools")).EnsureStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Replacing_a_plugin_folder_and_reloading_changes_behaviour_without_restart()
    {
        var admin = await Server.Api().LoginAsAdminAsync();
        Assert.Equal("v1", (await TrialAsync(admin, "versioned", null, Leads.Request())).Reason);

        fixture.Plugins.Replace("Crm.TestPlugins.Versioned.V2", PluginServerFixture.Versioned);
        var reloaded = (await admin.SendAsync<PluginListDto>(HttpMethod.Post, "/api/plugins/reload")).EnsureStatus(HttpStatusCode.OK).Value!;

        Assert.Equal("2.0.0", Single(reloaded, PluginServerFixture.Versioned).Version);
        Assert.Equal("v2", (await TrialAsync(admin, "versioned", null, Leads.Request())).Reason);
        Assert.Equal(PluginState.Incompatible, Single(reloaded, "Crm.TestPlugins.FutureSdk").State);
    }

    [Fact]
    public async Task Duplicate_at_entry_is_blocked_by_the_standard_plugin_loaded_from_its_folder()
    {
        var world = await TestWorld.CreateAsync(Server, new PoolRules { Dedup = new DedupRule(["identity-keys"], "block") });
        // Warm up: the strategy's first call loads its phone metadata.
        await world.Admin.SendAsync<DedupTrialDto>(HttpMethod.Post, "/api/plugins/dedup/identity-keys/trial",
            new { incoming = Leads.Customer("Warm", phone: "+86 138 0013 8000"), existing = Leads.Customer("Up") });
        var before = Calls(await ListAsync(world.Admin), "identity-keys");
        var mobile = $"139{Random.Shared.Next(10_000_000, 99_999_999)}";
        await world.NewLeadAsync("Li Wei", company: null, phone: $"+86 {mobile}");

        var second = await world.Admin.CreateCustomerAsync(new CreateCustomerRequest("Li W.", Phone: $"0086 {mobile}", PoolId: world.PoolId));

        second.EnsureStatus(HttpStatusCode.Conflict);
        Assert.Equal("duplicate", second.Code);
        Assert.True(Calls(await ListAsync(world.Admin), "identity-keys") > before);
    }

    [Fact]
    public async Task Options_check_that_hangs_or_throws_is_a_400_within_the_budget_and_a_fault_of_the_strategy()
    {
        var world = await TestWorld.CreateAsync(Server);
        var path = $"/api/pools/{world.PoolId}/rules";
        var before = Health(await ListAsync(world.Admin), "slow-validator");

        // The validator blocks for 30 s; the answer must not wait for it (the fault names the 2 s budget, no clock here).
        var hung = await world.Manager.SendAsync<PoolDto>(HttpMethod.Put, path,
            new PoolRules { Assignment = new("slow-validator", new Dictionary<string, string> { ["hangMs"] = "30000" }) });
        var threw = await world.Manager.SendAsync<PoolDto>(HttpMethod.Put, path,
            new PoolRules { Assignment = new("slow-validator", new Dictionary<string, string> { ["boom"] = "yes" }) });
        var checkedInTime = await world.Manager.SendAsync<PoolDto>(HttpMethod.Put, path,
            new PoolRules { Assignment = new("slow-validator", new Dictionary<string, string> { ["hangMs"] = "0" }) });

        Assert.Equal(HttpStatusCode.BadRequest, hung.Status);
        Assert.Equal(["rules.assignment.options"], hung.ErrorFields);
        Assert.Contains("time budget of 2000 ms", hung.Body);
        Assert.Equal(HttpStatusCode.BadRequest, threw.Status);
        Assert.Equal(["rules.assignment.options"], threw.ErrorFields);
        Assert.Contains("validator boom", threw.Body);
        checkedInTime.EnsureStatus(HttpStatusCode.OK);
        var after = Health(await ListAsync(world.Admin), "slow-validator");
        Assert.Equal((before.Timeouts + 1, before.Faults + 2), (after.Timeouts, after.Faults));
    }

    [Fact]
    public async Task Managers_see_plugins_but_only_admins_reload_and_reps_see_nothing()
    {
        var world = await TestWorld.CreateAsync(Server);

        (await world.RepA.GetAsync("/api/plugins")).EnsureStatus(HttpStatusCode.Forbidden);
        (await world.Manager.SendAsync<PluginListDto>(HttpMethod.Post, "/api/plugins/reload")).EnsureStatus(HttpStatusCode.Forbidden);
        (await Server.Api().GetAsync("/api/plugins")).EnsureStatus(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Trial_of_a_strategy_no_plugin_offers_is_404_with_the_available_names()
    {
        var admin = await Server.Api().LoginAsAdminAsync();

        var response = await admin.SendAsync<AssignmentTrialDto>(HttpMethod.Post, "/api/plugins/assignment/half-registered/trial", Leads.Request());

        response.EnsureStatus(HttpStatusCode.NotFound);
        Assert.Equal("unknown-strategy", response.Code);
        Assert.Contains("round-robin", response.Problem!.Value.GetProperty("available").GetString());
    }

    private static async Task<AssignmentTrialDto> TrialAsync(CrmApi api, string strategy, string? fallback, AssignmentRequest request) =>
        (await api.SendAsync<AssignmentTrialDto>(HttpMethod.Post,
            $"/api/plugins/assignment/{strategy}/trial{(fallback is null ? "" : "?fallback=" + fallback)}", request))
        .EnsureStatus(HttpStatusCode.OK).Value!;

    private static async Task<PluginListDto> ListAsync(CrmApi api) =>
        (await api.SendAsync<PluginListDto>(HttpMethod.Get, "/api/plugins")).EnsureStatus(HttpStatusCode.OK).Value!;

    private static PluginDto Single(PluginListDto list, string folder) => list.Items.Single(p => p.Folder == folder);

    private static long Calls(PluginListDto list, string strategy) =>
        list.Items.SelectMany(p => p.Strategies).Single(s => s.Name == strategy).Calls;

    private static StrategyHealthDto Health(PluginListDto list, string strategy) =>
        list.Items.SelectMany(p => p.Strategies).Single(s => s.Name == strategy);

    private static long Faults(PluginListDto list, string strategy) =>
        list.Items.SelectMany(p => p.Strategies).Single(s => s.Name == strategy).Faults;
}
