using Crm.Client;
using Crm.Server.Api.Common;
using Crm.Server.Auth;
using Crm.Server.Org;
using Crm.Server.Permissions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.OrgUnits;

public static class OrgUnitsApi
{
    public static IEndpointRouteBuilder MapOrgUnitsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/org-units").WithTags("Org units").RequireAuthorization();
        api.MapPost("/", Create).RequireAuthorization(Policies.Admin);
        api.MapGet("/", Tree);
        api.MapGet("/{id}", Get);
        api.MapPut("/{id}", Update).RequireAuthorization(Policies.Admin);
        return app;
    }

    private static async Task<Results<Created<OrgUnitDto>, ValidationProblem, ProblemHttpResult>> Create(
        CreateOrgUnitRequest request, HttpContext http, OrgUnitDirectory units, AuditLog audit)
    {
        var validation = new Validation().Require(request.Name, "name", 100);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var created = await units.CreateAsync(request.Name, string.IsNullOrWhiteSpace(request.ParentId) ? null : request.ParentId);
        if (created.Value is { } unit)
        {
            await audit.WriteAsync(http.User.ToActor().UserId, AuditLog.Actions.OrgUnitCreated, "org-unit", unit.Id,
                new() { ["name"] = unit.Name, ["parentId"] = unit.ParentId });
        }

        return ApiResults.CreatedOrProblem(created, unit => $"/api/org-units/{unit.Id}");
    }

    /// <summary>The part of the tree the caller sees: an admin the whole forest, others their unit and below.</summary>
    private static async Task<Ok<IReadOnlyList<OrgUnitDto>>> Tree(HttpContext http, OrgUnitDirectory units) =>
        TypedResults.Ok(OrgUnitDirectory.ToTree(await units.ListAsync(http.User.ToVisibility())));

    /// <summary>One unit with its subtree (the <c>Location</c> of its creation), when it is in the caller's part of the tree.</summary>
    private static async Task<Results<Ok<OrgUnitDto>, ProblemHttpResult>> Get(string id, HttpContext http, OrgUnitDirectory units) =>
        Find(OrgUnitDirectory.ToTree(await units.ListAsync(http.User.ToVisibility())), id) is { } unit
            ? TypedResults.Ok(unit)
            : ApiResults.NotFound("Org unit", id);

    private static OrgUnitDto? Find(IEnumerable<OrgUnitDto> units, string id) =>
        units.Select(u => u.Id == id ? u : Find(u.Children, id)).FirstOrDefault(u => u is not null);

    /// <summary>Where a move would put the unit; null when the request moves nothing or <c>UpdateAsync</c> will refuse it.</summary>
    private static async Task<string?> NewPathAsync(OrgUnitDirectory.OrgUnitRow unit, UpdateOrgUnitRequest request, OrgUnitDirectory units)
    {
        if (request.ToRoot)
        {
            return $"/{unit.Id}/";
        }

        if (string.IsNullOrWhiteSpace(request.ParentId) || request.ParentId == unit.ParentId)
        {
            return null;
        }

        return await units.GetAsync(request.ParentId) is { } parent && !parent.Path.StartsWith(unit.Path, StringComparison.Ordinal)
            ? $"{parent.Path}{unit.Id}/"
            : null;
    }

    /// <summary>Renames or moves a unit with its subtree: its users, pools and customers move with it.</summary>
    private static async Task<Results<Ok<OrgUnitDto>, ValidationProblem, ProblemHttpResult>> Update(
        string id, UpdateOrgUnitRequest request, HttpContext http, OrgUnitDirectory units, AuditLog audit, UnitMoveCheck moveCheck)
    {
        var validation = new Validation()
            .MaxLength(request.Name, "name", 100)
            .Check(request.Name is null || !string.IsNullOrWhiteSpace(request.Name), "name", "'name' may not be blank.")
            .Check(!(request.ToRoot && request.ParentId is not null), "parentId", "Give a parent or ask for a root, not both.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var before = await units.GetAsync(id);
        if (before is not null && await NewPathAsync(before, request, units) is { } newPath && newPath != before.Path
            && await moveCheck.CheckAsync(id, before.Path, newPath) is { } broken)
        {
            return ApiResults.Problem(broken);
        }

        var updated = await units.UpdateAsync(id, request.Name, string.IsNullOrWhiteSpace(request.ParentId) ? null : request.ParentId, request.ToRoot);
        if (updated.Error is { } error)
        {
            return error.Status == 400 ? ApiResults.Invalid(error) : ApiResults.Problem(error);
        }

        var unit = updated.Value!;
        var actor = http.User.ToActor();
        if (before!.Path != unit.Path)
        {
            await audit.WriteAsync(actor.UserId, AuditLog.Actions.OrgUnitMoved, "org-unit", id,
                new() { ["fromParentId"] = before.ParentId, ["toParentId"] = unit.ParentId, ["fromPath"] = before.Path, ["toPath"] = unit.Path });
        }

        if (before.Name != unit.Name)
        {
            await audit.WriteAsync(actor.UserId, AuditLog.Actions.OrgUnitRenamed, "org-unit", id, new() { ["from"] = before.Name, ["to"] = unit.Name });
        }

        return TypedResults.Ok(await units.WithChildrenAsync(unit));
    }
}
