using Crm.Client;
using Crm.Server.Api.Common;
using Crm.Server.Auth;
using Crm.Server.Org;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Users;

public static class UsersApi
{
    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/users").WithTags("Users").RequireAuthorization(Policies.ManagerOrAdmin);
        api.MapPost("/", Create);
        api.MapGet("/", List);
        return app;
    }

    private static async Task<Results<Created<UserDto>, ValidationProblem, ProblemHttpResult>> Create(
        CreateUserRequest request, HttpContext http, UserDirectory users, OrgUnitDirectory units)
    {
        var validation = new Validation()
            .Require(request.UserName, "userName", 64)
            .Check(request.UserName is null || request.UserName.Trim().All(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' or '@'),
                "userName", "Use letters, digits and . - _ @ only.")
            .Require(request.Password, "password", 200)
            .Check(request.Password is null || request.Password.Length >= 8, "password", "Use at least 8 characters.")
            .Require(request.DisplayName, "displayName", 100)
            .Require(request.Role, "role")
            .Check(request.Role is Role.Admin || !string.IsNullOrWhiteSpace(request.OrgUnitId), "orgUnitId", "Managers and reps belong to an org unit.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var actor = http.User.ToActor();
        if (actor.Role != Role.Admin && request.Role != Role.Rep)
        {
            return ApiResults.Problem(new("forbidden", "Managers may create reps only.", 403));
        }

        if (request.OrgUnitId is { } unitId && await units.GetAsync(unitId) is null)
        {
            return new Validation().Check(false, "orgUnitId", $"Org unit '{unitId}' does not exist.").ToProblem();
        }

        var created = await users.CreateAsync(request.UserName!, request.Password!, request.DisplayName!, request.Role!.Value, request.OrgUnitId);
        return ApiResults.CreatedOrProblem(created, user => $"/api/users/{user.Id}");
    }

    private static async Task<Ok<IReadOnlyList<UserDto>>> List(UserDirectory users) => TypedResults.Ok(await users.ListAsync());
}
