using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Org;
using Crm.Server.Api.Common;
using Crm.Server.Auth;
using Crm.Server.Org;
using Crm.Server.Permissions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Users;

public static class UsersApi
{
    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/users").WithTags("Users").RequireAuthorization();
        api.MapPost("/", Create).RequireAuthorization(Policies.ManagerOrAdmin);
        api.MapGet("/", List).RequireAuthorization(Policies.ManagerOrAdmin);
        api.MapGet("/{id}", Get); // anyone signed in: a rep sees itself only (the others are 404, as outside a manager's subtree)
        api.MapPut("/{id}", Update).RequireAuthorization(Policies.Admin);
        api.MapPost("/{id}/departure", Depart).RequireAuthorization(Policies.Admin);
        api.MapPost("/{id}/password", UserPasswords.Reset).RequireAuthorization(Policies.Admin);
        return app;
    }

    private static async Task<Results<Created<UserDto>, ValidationProblem, ProblemHttpResult>> Create(
        CreateUserRequest request, HttpContext http, UserDirectory users, OrgUnitDirectory units, AuditLog audit)
    {
        var validation = new Validation()
            .Require(request.UserName, "userName", 64)
            // Full-width forms (ｒｅｐ．ｌｉ, typed with a Chinese input method) are the same characters: the name is taken as
            // its half-width form is.
            .Check(request.UserName is null || request.UserName.Trim().Normalize(System.Text.NormalizationForm.FormKC)
                    .All(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' or '@'),
                "userName", "Use letters, digits and . - _ @ only.")
            .Require(request.Password, "password", PasswordPolicy.MaxLength)
            .Check(request.Password is null || PasswordPolicy.Check(request.Password, request.UserName ?? "") is null, "password",
                PasswordPolicy.Check(request.Password, request.UserName ?? "") ?? "")
            .Require(request.DisplayName, "displayName", 100)
            .Require(request.Role, "role")
            .Check(request.Role is Role.Admin || !string.IsNullOrWhiteSpace(request.OrgUnitId), "orgUnitId", "Managers and reps belong to an org unit.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var actor = http.User.ToActor();
        if (actor.Role != UserRole.Admin && request.Role != Role.Rep)
        {
            return ApiResults.Problem(new(ErrorCodes.Forbidden, "Managers may create reps only.", 403));
        }

        // A manager creates reps in its own subtree; a unit outside it does not exist as far as the manager knows.
        if (request.OrgUnitId is { } unitId && (await units.GetAsync(unitId) is not { } unit || !http.User.ToVisibility().Reaches(unit.Path)))
        {
            return new Validation().Check(false, "orgUnitId", $"Org unit '{unitId}' does not exist.").ToProblem();
        }

        var created = await users.CreateAsync(request.UserName!, request.Password!, request.DisplayName!, request.Role!.Value.ToUserRole(), request.OrgUnitId);
        if (created.Value is { } user)
        {
            await audit.WriteAsync(http.User.ToActor().UserId, AuditLog.Actions.UserCreated, "user", user.Id, new()
            {
                ["userName"] = user.UserName, ["role"] = request.Role!.Value.ToUserRole().ToString().ToLowerInvariant(), ["orgUnitId"] = request.OrgUnitId,
            });
        }

        return ApiResults.CreatedOrProblem(created, user => $"/api/users/{user.Id}");
    }

    private static async Task<Ok<IReadOnlyList<UserDto>>> List(HttpContext http, UserDirectory users) =>
        TypedResults.Ok(await users.ListAsync(http.User.ToVisibility()));

    private static async Task<Results<Ok<UserDto>, ProblemHttpResult>> Get(string id, HttpContext http, UserDirectory users) =>
        await users.IsVisibleAsync(id, http.User.ToVisibility()) && await users.GetAsync(id) is { } user
            ? TypedResults.Ok(user.ToDto())
            : ApiResults.NotFound("User", id);

    /// <summary>Changes a user's name, role or unit; a rep's private pool follows the rule of <see cref="RepHandover"/>.</summary>
    private static async Task<Results<Ok<UserChangeResult>, ValidationProblem, ProblemHttpResult>> Update(
        string id, UpdateUserRequest request, HttpContext http, UserDirectory users, OrgUnitDirectory units, RepHandover handover, AuditLog audit)
    {
        var validation = new Validation()
            .MaxLength(request.DisplayName, "displayName", 100)
            .Check(request.DisplayName is null || !string.IsNullOrWhiteSpace(request.DisplayName), "displayName", "'displayName' may not be blank.")
            .MaxLength(request.OrgUnitId, "orgUnitId", 64)
            .MaxLength(request.TransferToRepId, "transferToRepId", 64);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        if (await users.GetAsync(id) is not { } before)
        {
            return ApiResults.NotFound("User", id);
        }

        if (!before.Active)
        {
            return ApiResults.Problem(new("user-left", $"User '{id}' has left: its role, unit and name stay as they were.", 409, new() { ["id"] = id }));
        }

        var role = request.Role?.ToUserRole() ?? before.RoleValue;
        var unitId = request.OrgUnitId ?? before.OrgUnitId;
        OrgUnitDirectory.OrgUnitRow? unit = null;
        if (unitId is not null && (unit = await units.GetAsync(unitId)) is null)
        {
            return new Validation().Check(false, "orgUnitId", $"Org unit '{unitId}' does not exist.").ToProblem();
        }

        if (role != UserRole.Admin && unit is null)
        {
            return new Validation().Check(false, "orgUnitId", "Managers and reps belong to an org unit.").ToProblem();
        }

        if (request.TransferToRepId is { } target && (target == id || await users.GetAsync(target) is not { RoleValue: UserRole.Rep, Active: true }))
        {
            return new Validation().Check(false, "transferToRepId", $"'{target}' is not another active rep.").ToProblem();
        }

        var actor = http.User.ToActor();
        if (!await users.UpdateAsync(id, request.DisplayName, request.Role?.ToUserRole(), request.OrgUnitId))
        {
            return LastAdmin(id);
        }

        var after = (await users.GetAsync(id))!;
        if (before.Role != after.Role || before.OrgUnitId != after.OrgUnitId)
        {
            await audit.WriteAsync(actor.UserId, AuditLog.Actions.UserChanged, "user", id, new()
            {
                ["fromRole"] = before.Role,
                ["toRole"] = after.Role,
                ["fromOrgUnitId"] = before.OrgUnitId,
                ["toOrgUnitId"] = after.OrgUnitId,
            });
        }

        IReadOnlyList<HandoverItem> items = [];
        if (before.RoleValue == UserRole.Rep && (before.OrgUnitId != after.OrgUnitId || after.RoleValue != UserRole.Rep))
        {
            var repPath = after.RoleValue == UserRole.Rep ? unit?.Path : null;
            items = await handover.HandOverAsync(id, repPath, request.TransferToRepId,
                after.RoleValue == UserRole.Rep ? "the rep moved to another unit" : "the user is no longer a rep", actor);
        }

        return TypedResults.Ok(new UserChangeResult(after.ToDto(), items));
    }

    /// <summary>A user leaves: it can no longer sign in, and a rep's private pool is transferred or released.</summary>
    private static async Task<Results<Ok<UserChangeResult>, ValidationProblem, ProblemHttpResult>> Depart(
        string id, DepartureRequest? request, HttpContext http, UserDirectory users, RepHandover handover, AuditLog audit, RefreshTokens refreshTokens)
    {
        var transferTo = request?.TransferToRepId;
        if (await users.GetAsync(id) is not { } user)
        {
            return ApiResults.NotFound("User", id);
        }

        var actor = http.User.ToActor();
        if (id == actor.UserId)
        {
            return ApiResults.Problem(new("self-departure", "An admin cannot mark itself as departed.", 409, new() { ["id"] = id }));
        }

        if (transferTo is not null && (transferTo == id || await users.GetAsync(transferTo) is not { RoleValue: UserRole.Rep, Active: true }))
        {
            return new Validation().Check(false, "transferToRepId", $"'{transferTo}' is not another active rep.").ToProblem();
        }

        if (!await users.DepartAsync(id, actor.UserId))
        {
            return LastAdmin(id);
        }

        await refreshTokens.RevokeUserAsync(id);
        await audit.WriteAsync(actor.UserId, AuditLog.Actions.UserDeparted, "user", id, new() { ["transferToRepId"] = transferTo });
        IReadOnlyList<HandoverItem> items = user.RoleValue == UserRole.Rep
            ? await handover.HandOverAsync(id, null, transferTo, "the rep left", actor)
            : [];
        return TypedResults.Ok(new UserChangeResult((await users.GetAsync(id))!.ToDto(), items));
    }

    // Nobody could then manage users, pools or the org tree; the admin password setting is only read on the first start.
    private static ProblemHttpResult LastAdmin(string id) =>
        ApiResults.Problem(new("last-admin", $"User '{id}' is the last active admin: make another user an admin first.", 409, new() { ["id"] = id }));
}
