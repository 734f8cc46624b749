using Crm.Client;
using Crm.Grains.Assignment;
using Crm.Grains.Levels;
using Crm.Grains.Org;
using Crm.Grains.Plugins;
using Crm.Grains.Pools;
using Crm.Server.Api.Common;
using Crm.Server.Api.Customers;
using Crm.Server.Auth;
using Crm.Server.Org;
using Crm.Server.Permissions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Pools;

public static class PoolsApi
{
    public static IEndpointRouteBuilder MapPoolsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/pools").WithTags("Pools").RequireAuthorization();
        api.MapPost("/", Create).RequireAuthorization(Policies.ManagerOrAdmin);
        api.MapGet("/", List);
        api.MapGet("/{id}", Get);
        api.MapPut("/{id}/rules", UpdateRules).RequireAuthorization(Policies.ManagerOrAdmin).WithMetadata(new InputBoundsPrefix("rules"));
        api.MapGet("/{id}/customers", Customers);
        api.MapGet("/{id}/collusion", Collusion).RequireAuthorization(Policies.ManagerOrAdmin);
        return app;
    }

    private static async Task<Results<Created<PoolDto>, ValidationProblem, ProblemHttpResult>> Create(
        CreatePoolRequest request, HttpContext http, IGrainFactory grains, OrgUnitDirectory units, IStrategyCatalog strategies,
        StrategyRunner runner, PoolQueries pools, LevelCatalog levels, AuditLog audit, OrgTreeCache tree)
    {
        var rules = request.Rules ?? new PoolRules();
        var validation = new Validation()
            .Require(request.Name, "name", 100)
            .Require(request.OrgUnitId, "orgUnitId", 64)
            .Merge(PoolRulesValidator.Validate(rules))
            .Merge(await AssignmentRuleValidator.ValidateAsync(rules.Assignment, strategies, runner))
            .Merge(DedupStrategies(rules, strategies, kept: null));
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        if (await units.GetAsync(request.OrgUnitId!) is not { } unit || !http.User.ToVisibility().Reaches(unit.Path))
        {
            return new Validation().Check(false, "orgUnitId", $"Org unit '{request.OrgUnitId}' does not exist.").ToProblem();
        }

        if (await CheckRecycleTargetsAsync(rules, http, grains, pools, levels) is { IsValid: false } targets)
        {
            return targets.ToProblem();
        }

        if (await CheckCapacityOverridesAsync(rules, unit.Path, kept: null, tree) is { IsValid: false } overrides)
        {
            return overrides.ToProblem();
        }

        var id = Guid.NewGuid().ToString("N")[..12];
        var created = await grains.GetGrain<IPoolGrain>(id).Create(request.Name!.Trim(), request.OrgUnitId!, rules.ToRuleSet());
        if (created.Ok && rules.Assignment is not null)
        {
            await grains.GetGrain<IAssignmentGrain>(id).RulesChanged();
        }

        if (created.Value is { } pool)
        {
            await audit.WriteAsync(http.User.ToActor().UserId, AuditLog.Actions.PoolCreated, "pool", id,
                new() { ["name"] = pool.Name, ["orgUnitId"] = pool.OrgUnitId, ["rules"] = RulesText(http, pool.ToWire().Rules) });
        }

        return ApiResults.CreatedOrProblem(created.Map(PoolWireMapping.ToWire), pool => $"/api/pools/{pool.Id}");
    }

    private static async Task<Ok<IReadOnlyList<PoolDto>>> List(HttpContext http, PoolQueries pools) =>
        TypedResults.Ok(await pools.ListAsync(http.User.ToVisibility()));

    private static async Task<Results<Ok<PoolDto>, ProblemHttpResult>> Get(string id, HttpContext http, IGrainFactory grains, PoolQueries pools) =>
        await pools.IsVisibleAsync(id, http.User.ToVisibility()) && await grains.GetGrain<IPoolGrain>(id).Get() is { } pool
            ? TypedResults.Ok(pool.ToWire())
            : ApiResults.NotFound("Pool", id);

    private static async Task<Results<Ok<PoolDto>, ValidationProblem, ProblemHttpResult>> UpdateRules(
        string id, PoolRules rules, HttpContext http, IGrainFactory grains, PoolQueries pools, IStrategyCatalog strategies, StrategyRunner runner,
        LevelCatalog levels, PoolDirectory directory, AuditLog audit, OrgTreeCache tree)
    {
        if (!await pools.IsVisibleAsync(id, http.User.ToVisibility()))
        {
            return ApiResults.NotFound("Pool", id);
        }

        // A strategy the pool already names is accepted back unchanged even when no loaded plugin offers it now (the
        // manager resends the whole rule set to change another rule); only newly named strategies must be loaded.
        var before = await grains.GetGrain<IPoolGrain>(id).Get();
        var kept = before?.ToWire().Rules;
        var validation = new Validation()
            .Merge(PoolRulesValidator.Validate(rules))
            .Merge(await AssignmentRuleValidator.ValidateAsync(rules.Assignment, strategies, runner, kept: kept?.Assignment))
            .Merge(DedupStrategies(rules, strategies, kept?.Dedup));
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        if (await CheckRecycleTargetsAsync(rules, http, grains, pools, levels) is { IsValid: false } targets)
        {
            return targets.ToProblem();
        }

        if (before is not null && await CheckCapacityOverridesAsync(rules, await tree.PathOf(before.OrgUnitId), kept?.CapacityOverrides, tree)
                is { IsValid: false } overrides)
        {
            return overrides.ToProblem();
        }

        var updated = await grains.GetGrain<IPoolGrain>(id).UpdateRules(rules.ToRuleSet());
        if (updated.Value is { } pool)
        {
            directory.Forget(id); // the caller's next claim through this silo sees the new rules, wherever the pool's grain lives
            await grains.GetGrain<IAssignmentGrain>(id).RulesChanged();
            await audit.WriteAsync(http.User.ToActor().UserId, AuditLog.Actions.PoolRulesChanged, "pool", id,
                new() { ["from"] = before is null ? null : RulesText(http, before.ToWire().Rules), ["to"] = RulesText(http, pool.ToWire().Rules) });
        }

        return ApiResults.OkOrProblem(updated.Map(PoolWireMapping.ToWire));
    }

    /// <summary>
    /// The dedup strategies a rule names are offered by a loaded plugin, or already named by the pool's rule
    /// (<paramref name="kept"/>): a strategy not loaded is treated as failing (docs/dedup.md), so a new name must be loaded.
    /// </summary>
    private static Dictionary<string, string[]> DedupStrategies(PoolRules rules, IStrategyCatalog strategies, DedupRule? kept)
    {
        var errors = new Dictionary<string, string[]>();
        var unknown = (rules.Dedup?.Strategies ?? []).Where(n => !string.IsNullOrWhiteSpace(n))
            .Where(n => !strategies.DedupStrategyNames.Contains(n) && !(kept?.Strategies ?? []).Contains(n)).Distinct().ToList();
        if (unknown.Count > 0)
        {
            errors["rules.dedup.strategies"] = [$"Unknown dedup strategy {string.Join(", ", unknown.Select(n => $"'{n}'"))}; loaded: "
                + $"{string.Join(", ", strategies.DedupStrategyNames.Order(StringComparer.Ordinal))}."];
        }

        return errors;
    }

    /// <summary>Rules as the API shows them (the server's JSON options), for the audit log.</summary>
    private static string RulesText(HttpContext http, PoolRules rules) => System.Text.Json.JsonSerializer.Serialize(rules,
        http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions);

    /// <summary>The pools recycled customers are sent to exist and are the caller's to use; the levels named are the company's.</summary>
    private static async Task<Validation> CheckRecycleTargetsAsync(
        PoolRules rules, HttpContext http, IGrainFactory grains, PoolQueries pools, LevelCatalog levels)
    {
        var validation = new Validation();
        var targets = new List<(string Field, string PoolId)>();
        if (rules.RecycleToPoolId is { } poolId && !string.IsNullOrWhiteSpace(poolId))
        {
            targets.Add(("rules.recycleToPoolId", poolId.Trim()));
        }

        var known = (await levels.GetAsync()).Levels;
        foreach (var (level, rule) in rules.ByLevel ?? new Dictionary<string, LevelRecycleRules>())
        {
            validation.Check(known.Contains(level.Trim()), $"rules.byLevel.{level}", $"Unknown level; the company's levels are: {string.Join(", ", known)}.");
            if (rule.RecycleToPoolId is { } levelPool && !string.IsNullOrWhiteSpace(levelPool))
            {
                targets.Add(($"rules.byLevel.{level}.recycleToPoolId", levelPool.Trim()));
            }
        }

        foreach (var (field, target) in targets)
        {
            var exists = await pools.IsVisibleAsync(target, http.User.ToVisibility()) && await grains.GetGrain<IPoolGrain>(target).Get() is not null;
            validation.Check(exists, field, $"Pool '{target}' does not exist or is outside your unit.");
        }

        return validation;
    }

    /// <summary>
    /// A capacity override names a rep who may own the pool's customers: an active rep under the pool's unit. One the
    /// pool's rules already name (<paramref name="kept"/>) is accepted back, so that a manager can resend the whole rule
    /// set after that rep left or moved away.
    /// </summary>
    private static async Task<Validation> CheckCapacityOverridesAsync(
        PoolRules rules, string? poolUnitPath, IReadOnlyDictionary<string, int>? kept, OrgTreeCache tree)
    {
        var validation = new Validation();
        foreach (var repId in (rules.CapacityOverrides ?? new Dictionary<string, int>()).Keys)
        {
            var ok = kept?.ContainsKey(repId) == true || OrgPaths.Counts(await tree.NamedMember(repId), poolUnitPath);
            validation.Check(ok, $"rules.capacityOverrides.{repId}", $"'{repId}' is not an active rep under the pool's org unit.");
        }

        return validation;
    }

    /// <summary>Suspected collusion between reps in this pool, newest first, with the events behind each case.</summary>
    private static async Task<Results<Ok<IReadOnlyList<CollusionCaseDto>>, ProblemHttpResult>> Collusion(
        string id, HttpContext http, IGrainFactory grains, PoolQueries pools)
    {
        var pool = grains.GetGrain<IPoolGrain>(id);
        if (!await pools.IsVisibleAsync(id, http.User.ToVisibility()) || await pool.Get() is null)
        {
            return ApiResults.NotFound("Pool", id);
        }

        return TypedResults.Ok<IReadOnlyList<CollusionCaseDto>>((await pool.GetCollusionCases()).Select(c => c.ToWire()).ToList());
    }

    private static async Task<Results<Ok<Page<CustomerDto>>, ValidationProblem, ProblemHttpResult>> Customers(
        string id, int? page, int? pageSize, string? after, HttpContext http, PoolQueries pools, CustomerQueries customers)
    {
        var validation = new Validation().CheckPaging(page, pageSize).CheckCursor(page, after, out var cursor);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var visibility = http.User.ToVisibility();
        if (!await pools.IsVisibleAsync(id, visibility))
        {
            return ApiResults.NotFound("Pool", id);
        }

        return TypedResults.Ok(await customers.SearchAsync(new CustomerFilter { PoolId = id, UnownedOnly = true }, visibility, page, pageSize, cursor));
    }
}
