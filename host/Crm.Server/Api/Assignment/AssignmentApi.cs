using Crm.Client;
using Crm.Grains.Assignment;
using Crm.Grains.Common;
using Crm.Grains.Plugins;
using Crm.Grains.Pools;
using Crm.Grains.Storage;
using Crm.Sdk;
using Crm.Server.Api.Common;
using Crm.Server.Api.Customers;
using Crm.Server.Api.Pools;
using Crm.Server.Auth;
using Crm.Server.Org;
using Crm.Server.Permissions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Assignment;

/// <summary>
/// Who gets a lead: rep profiles, a pool's assignment status, dry runs of strategies, running a batch now, and even
/// bulk distribution of a list over a team (docs/assignment.md).
/// </summary>
public static class AssignmentApi
{
    public const int MaxSimulatedLeads = 10_000;
    public const int MaxDistribution = 2_000;

    public static IEndpointRouteBuilder MapAssignmentApi(this IEndpointRouteBuilder app)
    {
        var reps = app.MapGroup("/api/reps").WithTags("Assignment").RequireAuthorization();
        reps.MapGet("/{id}/profile", GetProfile).RequireAuthorization(Policies.ManagerOrAdmin);
        reps.MapPut("/{id}/profile", PutProfile).RequireAuthorization(Policies.ManagerOrAdmin);

        var pools = app.MapGroup("/api/pools/{id}/assignment").WithTags("Assignment").RequireAuthorization();
        pools.MapGet("/", Status);
        pools.MapPost("/simulate", Simulate).RequireAuthorization(Policies.ManagerOrAdmin);
        pools.MapPost("/run", Run).RequireAuthorization(Policies.ManagerOrAdmin);

        app.MapPost("/api/assignment/distribute", Distribute).WithTags("Assignment").RequireAuthorization(Policies.ManagerOrAdmin);
        return app;
    }

    /// <summary>A rep's profile, for managers of its unit and above (and admins); others get 404.</summary>
    private static async Task<Results<Ok<RepProfileDto>, ProblemHttpResult>> GetProfile(string id, HttpContext http, CrmDatabase database, OrgUnitDirectory units) =>
        await new RepRoster(database).GetAsync(id) is { } profile && await InScopeAsync(http.User.ToActor(), profile.OrgUnitId, units)
            ? TypedResults.Ok(profile)
            : ApiResults.NotFound("Rep", id);

    private static async Task<Results<Ok<RepProfileDto>, ValidationProblem, ProblemHttpResult>> PutProfile(
        string id, RepProfileRequest request, HttpContext http, CrmDatabase database, UserDirectory users, OrgUnitDirectory units,
        PoolQueries pools, IGrainFactory grains, TimeProvider clock)
    {
        var validation = new Validation()
            .Check(request.Seniority is null or >= 0 and <= 10, "seniority", "Must be from 0 (new) to 10.");
        CheckList(validation, request.Industries, "industries");
        CheckList(validation, request.Regions, "regions");
        CheckList(validation, request.Languages, "languages");
        validation.Check(request.Attributes is null || (request.Attributes.Count <= 50
                && request.Attributes.All(a => a.Key.Length is >= 1 and <= 64 && a.Value is { Length: <= 500 })),
            "attributes", "At most 50 attributes; names of 1 to 64 characters, values of at most 500.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        if (await users.GetAsync(id) is not { } user)
        {
            return ApiResults.NotFound("Rep", id);
        }

        if (user.RoleValue != UserRole.Rep)
        {
            return new Validation().Check(false, "id", $"User '{id}' is a {user.Role}, not a rep.").ToProblem();
        }

        if (!await InScopeAsync(http.User.ToActor(), user.OrgUnitId, units))
        {
            return ApiResults.Problem(CrmError.Forbidden("A manager sets the profiles of reps in its own org unit and below."));
        }

        var roster = new RepRoster(database);
        await roster.SaveAsync(id, request, UnixTime.ToMs(clock.GetUtcNow()));
        // Pools re-read their roster on the next decision, so the new profile counts at once.
        foreach (var pool in await pools.ListAsync(new Visibility(UserRole.Admin, "system", "/")))
        {
            await grains.GetGrain<IAssignmentGrain>(pool.Id).RosterChanged();
        }

        return TypedResults.Ok((await roster.GetAsync(id))!);
    }

    private static async Task<Results<Ok<AssignmentStatusDto>, ProblemHttpResult>> Status(string id, HttpContext http, IGrainFactory grains, PoolQueries pools) =>
        !await pools.IsVisibleAsync(id, http.User.ToVisibility())
            ? ApiResults.NotFound("Pool", id)
            : TypedResults.Ok((await grains.GetGrain<IAssignmentGrain>(id).GetStatus()).ToWire());

    private static async Task<Results<Ok<BatchSummary>, ProblemHttpResult>> Run(string id, HttpContext http, IGrainFactory grains, PoolQueries pools) =>
        !await pools.IsVisibleAsync(id, http.User.ToVisibility())
            ? ApiResults.NotFound("Pool", id)
            : TypedResults.Ok(await grains.GetGrain<IAssignmentGrain>(id).RunBatch());

    private static async Task<Results<Ok<SimulationResult>, ValidationProblem, ProblemHttpResult>> Simulate(
        string id, SimulateAssignmentRequest request, HttpContext http, IGrainFactory grains, IStrategyCatalog catalog, StrategyRunner runner,
        PoolQueries pools)
    {
        var validation = new Validation().Require(request.Strategy, "strategy", 100);
        if (request.Strategy is { } name && !string.IsNullOrWhiteSpace(name) && !catalog.AssignmentStrategyNames.Contains(name))
        {
            validation.Check(false, "strategy",
                $"Unknown assignment strategy '{name}'; loaded: {string.Join(", ", catalog.AssignmentStrategyNames.Order(StringComparer.Ordinal))}.");
        }
        else if (request.Strategy is not null)
        {
            foreach (var (key, message) in await AssignmentRuleValidator.OptionsAsync(request.Strategy, request.Options, runner))
            {
                validation.Check(false, key.Length == 0 ? "options" : $"options.{key}", message);
            }
        }

        validation
            .Check(request.Leads is null != request.LastDays is null, "leads", "Give either 'leads' or 'lastDays', not both.")
            .Check(request.LastDays is null or >= 1 and <= 365, "lastDays", "Must be from 1 to 365 days.")
            .Check(request.Leads is null or { Count: >= 1 and <= MaxSimulatedLeads }, "leads", $"Give 1 to {MaxSimulatedLeads} leads.");
        for (var i = 0; i < (request.Leads?.Count ?? 0) && validation.IsValid; i++)
        {
            var lead = request.Leads![i];
            validation.Check(lead is not null, $"leads[{i}]", "A lead is required.");
            validation.MaxLength(lead?.Name, $"leads[{i}].name", 200).MaxLength(lead?.Address, $"leads[{i}].address", 500)
                .MaxLength(lead?.Id, $"leads[{i}].id", 64);
        }

        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        if (!await pools.IsVisibleAsync(id, http.User.ToVisibility()))
        {
            return ApiResults.NotFound("Pool", id);
        }

        var leads = request.Leads?.Select((l, i) => new LeadCard(l.Id ?? $"lead-{i + 1}", l.Name ?? l.Id ?? $"lead {i + 1}",
            Company: l.Company, Address: l.Address, Industry: l.Industry, Region: l.Region, Language: l.Language, Source: l.Source,
            PoolId: id, Fields: l.Fields)).ToList();
        var result = await grains.GetGrain<IAssignmentGrain>(id)
            .Simulate(request.Strategy!, request.Options ?? new Dictionary<string, string>(), leads, request.LastDays);
        return TypedResults.Ok(result.ToWire());
    }

    private static async Task<Results<Ok<DistributionResult>, ValidationProblem, ProblemHttpResult>> Distribute(
        DistributeRequest request, HttpContext http, IGrainFactory grains, CrmDatabase database, CustomerQueries customers,
        OrgUnitDirectory units)
    {
        var validation = new Validation()
            .Check(request.CustomerIds is null != request.Filter is null, "customerIds", "Give either 'customerIds' or 'filter', not both.")
            .Check(request.CustomerIds is null or { Count: >= 1 and <= MaxDistribution }, "customerIds", $"Give 1 to {MaxDistribution} customer ids.")
            .Check(request.OrgUnitId is null != request.RepIds is null, "orgUnitId", "Give either a team ('orgUnitId') or 'repIds', not both.")
            .Check(request.RepIds is null or { Count: >= 1 and <= 1000 }, "repIds", "Give 1 to 1000 rep ids.")
            .Check(request.Filter?.Limit is null or >= 1 and <= MaxDistribution, "filter.limit", $"Must be from 1 to {MaxDistribution}.")
            .MaxLength(request.Filter?.Query, "filter.query", 200)
            .MaxLength(request.Reason, "reason", 500);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var actor = http.User.ToActor();
        var roster = new RepRoster(database);
        IReadOnlyList<RosterRep> team;
        // A unit or rep outside the caller's subtree is answered as one that does not exist (it could be told apart before).
        if (request.OrgUnitId is { } unitId)
        {
            if (await units.GetAsync(unitId) is null || !await InScopeAsync(actor, unitId, units))
            {
                return new Validation().Check(false, "orgUnitId", $"Org unit '{unitId}' does not exist.").ToProblem();
            }

            team = await roster.TeamAsync(unitId);
        }
        else
        {
            team = await roster.RepsAsync(request.RepIds!.Distinct().ToList());
            var unknown = request.RepIds!.Except(team.Select(r => r.RepId)).ToList();
            // The caller's subtree read once, not once per named rep (up to 1,000).
            IReadOnlyList<string>? reach = actor.Role == UserRole.Admin ? null : actor.OrgUnitId is { } own ? await units.SubtreeAsync(own) : Array.Empty<string>();
            unknown.AddRange(team.Where(r => reach is not null && (r.Profile.OrgUnitId is not { } unit || !reach.Contains(unit))).Select(r => r.RepId));

            if (unknown.Count > 0)
            {
                return new Validation().Check(false, "repIds", $"Not reps: {string.Join(", ", unknown.Distinct())}.").ToProblem();
            }
        }

        var ids = request.CustomerIds ?? (await customers.SearchAsync(new CustomerFilter
        {
            PoolId = request.Filter!.PoolId,
            Query = request.Filter.Query,
            Stage = request.Filter.Stage,
            UnownedOnly = request.Filter.UnownedOnly ?? true,
        }, http.User.ToVisibility(), 1, request.Filter.Limit ?? MaxDistribution)).Items.Select(c => c.Id).ToList();
        // Ids named by the caller reach only the customers it sees (the filter's are found among them already).
        var reachable = request.CustomerIds is null ? null : (await customers.NamesAsync(ids, http.User.ToVisibility())).Keys.ToHashSet();
        return TypedResults.Ok(await new EvenDistributor(grains, roster).DistributeAsync(ids, team, request.Reason, actor, reachable));
    }

    private static void CheckList(Validation validation, IReadOnlyList<string>? values, string field) =>
        validation.Check(values is null || (values.Count <= 50 && values.All(v => !string.IsNullOrWhiteSpace(v) && v.Length <= 64)),
            field, "At most 50 entries, each of 1 to 64 characters.");

    /// <summary>Open downward, closed upward: admins act anywhere, a manager on its unit and the units below.</summary>
    private static async Task<bool> InScopeAsync(Actor actor, string? orgUnitId, OrgUnitDirectory units)
    {
        if (actor.Role == UserRole.Admin)
        {
            return true;
        }

        return actor.OrgUnitId is { } own && orgUnitId is not null && (await units.SubtreeAsync(own)).Contains(orgUnitId);
    }
}
