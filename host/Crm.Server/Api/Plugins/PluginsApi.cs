using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Plugins;
using Crm.Sdk;
using Crm.Server.Api.Common;
using Crm.Server.Api.Pools;
using Crm.Server.Auth;
using Crm.Server.Permissions;
using System.Globalization;
using Crm.Server.Plugins;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Plugins;

/// <summary>
/// <c>/api/plugins</c>: what is loaded and how it behaves (admins and managers), hot reload (admins), and strategy
/// trials that run a strategy on sample input through the same budget and fallback as real calls.
/// </summary>
public static class PluginsApi
{
    public static IEndpointRouteBuilder MapPluginsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/plugins").WithTags("Plugins").RequireAuthorization(Policies.ManagerOrAdmin);
        api.MapGet("/", List);
        api.MapPost("/reload", Reload).RequireAuthorization(Policies.Admin);
        api.MapPost("/assignment/{name}/trial", TryAssignment);
        api.MapPost("/dedup/{name}/trial", TryDedup);
        return app;
    }

    private static async Task<Ok<PluginListDto>> List(PluginHost plugins, PoolQueries pools, HttpContext http)
    {
        var list = await WithPoolWarningsAsync(plugins.Describe(), plugins, pools, http);
        return TypedResults.Ok(IsAdmin(http) ? list : PluginDisclosure.ForManager(list));
    }

    /// <summary>
    /// Warns of the pools (those the caller sees) whose rules name a strategy no loaded plugin offers: their dedup
    /// treats it as failing (customers queued, docs/dedup.md "Never fail open"), their assignment falls back.
    /// </summary>
    private static async Task<PluginListDto> WithPoolWarningsAsync(PluginListDto list, PluginHost plugins, PoolQueries pools, HttpContext http)
    {
        var warnings = new List<string>();
        foreach (var pool in await pools.ListAsync(http.User.ToVisibility()))
        {
            foreach (var name in (pool.Rules.Dedup?.Strategies ?? []).Distinct().Where(n => !plugins.DedupStrategyNames.Contains(n)))
            {
                warnings.Add($"Pool '{pool.Name}' ({pool.Id}) names the dedup strategy '{name}', which no loaded plugin offers: "
                    + "its customers are queued for dedup until a plugin offers it again.");
            }

            if (pool.Rules.Assignment is { } assignment)
            {
                foreach (var name in new[] { assignment.Strategy, assignment.Fallback }.OfType<string>()
                    .Where(n => !string.IsNullOrWhiteSpace(n) && !plugins.AssignmentStrategyNames.Contains(n)).Distinct())
                {
                    warnings.Add($"Pool '{pool.Name}' ({pool.Id}) names the assignment strategy '{name}', which no loaded plugin offers.");
                }
            }
        }

        return list with { Warnings = warnings };
    }

    private static bool IsAdmin(HttpContext http) => http.User.ToActor().Role == UserRole.Admin;

    /// <summary>
    /// Loads the plugins directory again, here at once and on every other silo within a second or two; calls in flight
    /// finish on the versions they started on. Answers this silo's listing.
    /// </summary>
    private static async Task<Ok<PluginListDto>> Reload(PluginReloadBroadcast reload, PluginHost plugins, PoolQueries pools, HttpContext http, AuditLog audit)
    {
        var loaded = await WithPoolWarningsAsync(await reload.ReloadEverywhereAsync(), plugins, pools, http);
        await audit.WriteAsync(http.User.ToActor().UserId, AuditLog.Actions.PluginsReloaded, "plugins", loaded.Generation.ToString(CultureInfo.InvariantCulture),
            new()
            {
                ["loaded"] = string.Join(", ", loaded.Items.Where(p => p.State == PluginState.Loaded).Select(p => $"{p.Name} {p.Version}".TrimEnd())),
                ["notLoaded"] = string.Join(", ", loaded.Items.Where(p => p.State != PluginState.Loaded).Select(p => $"{p.Name} ({p.State})")),
            });
        return TypedResults.Ok(loaded);
    }

    private static async Task<Results<Ok<AssignmentTrialDto>, ValidationProblem, ProblemHttpResult>> TryAssignment(
        string name, string? fallback, AssignmentRequest request, PluginHost plugins, StrategyTrial trials, HttpContext http)
    {
        // 'required' in the SDK's records only asks JSON for the property: null gets through, and what the SDK
        // promises a strategy is never null (a lead's fields, a candidate's lists, the pool's options) must not be either.
        var candidates = request.Candidates ?? [];
        var validation = new Validation()
            .Snapshot(request.Lead, "lead")
            .Check(request.Candidates is not null, "candidates", "'candidates' is required (a list, which may be empty).")
            .Check(candidates.All(c => c is not null && !string.IsNullOrWhiteSpace(c.RepId)), "candidates", "Every candidate needs a repId.")
            .Check(candidates.All(c => c is null || c is { Industries: not null, Regions: not null, Languages: not null, Attributes: not null }), "candidates",
                "A candidate's industries, regions, languages and attributes may be left out, not null.")
            .Check(request.Pool is not null, "pool", "'pool' is required.")
            .Check(request.Pool is null || !string.IsNullOrWhiteSpace(request.Pool.PoolId), "pool.poolId", "'pool.poolId' is required.")
            .Check(request.Pool?.Options is not null || request.Pool is null, "pool.options", "'pool.options' may be left out, not null.")
            .Check(fallback is null || plugins.AssignmentStrategyNames.Contains(fallback), "fallback",
                $"No loaded plugin offers the assignment strategy '{fallback}'.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        if (!plugins.AssignmentStrategyNames.Contains(name))
        {
            return UnknownStrategy("assignment", name, plugins.AssignmentStrategyNames);
        }

        var trial = await trials.TryAssignment(name, fallback, request);
        return TypedResults.Ok(IsAdmin(http) ? trial : trial with { Faults = PluginDisclosure.Faults(trial.Faults) });
    }

    private static async Task<Results<Ok<DedupTrialDto>, ValidationProblem, ProblemHttpResult>> TryDedup(
        string name, string? fallback, DedupTrialRequest request, PluginHost plugins, StrategyTrial trials, HttpContext http)
    {
        var validation = new Validation().Snapshot(request.Incoming, "incoming").Snapshot(request.Existing, "existing")
            .Check(fallback is null || plugins.DedupStrategyNames.Contains(fallback), "fallback",
                $"No loaded plugin offers the dedup strategy '{fallback}'.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        if (!plugins.DedupStrategyNames.Contains(name))
        {
            return UnknownStrategy("dedup", name, plugins.DedupStrategyNames);
        }

        var trial = await trials.TryDedup(name, fallback, request.Incoming!, request.Existing!);
        return TypedResults.Ok(IsAdmin(http) ? trial : trial with { Faults = PluginDisclosure.Faults(trial.Faults) });
    }

    /// <summary>A customer as a strategy sees it: present, with an id and a name, its fields left out or an object.</summary>
    private static Validation Snapshot(this Validation validation, CustomerSnapshot? customer, string field) => validation
        .Check(customer is not null, field, $"'{field}' is required.")
        .Check(customer is null || !string.IsNullOrWhiteSpace(customer.Id), $"{field}.id", $"'{field}.id' is required.")
        .Check(customer is null || !string.IsNullOrWhiteSpace(customer.Name), $"{field}.name", $"'{field}.name' is required.")
        .Check(customer?.Fields is not null || customer is null, $"{field}.fields", $"'{field}.fields' may be left out, not null.");

    private static ProblemHttpResult UnknownStrategy(string kind, string name, IReadOnlyCollection<string> available) =>
        ApiResults.Problem(new CrmError("unknown-strategy", $"No loaded plugin offers the {kind} strategy '{name}'.", 404,
            new Dictionary<string, string> { ["strategy"] = name, ["available"] = string.Join(",", available.Order()) }));
}
