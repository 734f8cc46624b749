using Crm.Client;
using Crm.Server.Api.Common;
using Crm.Server.Auth;
using Crm.Server.Org;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Auth;

public static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/auth").WithTags("Auth").MapPost("/token", IssueToken).AllowAnonymous();
        return app;
    }

    private static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> IssueToken(
        TokenRequest request, UserDirectory users, TokenService tokens)
    {
        var validation = new Validation().Require(request.UserName, "userName").Require(request.Password, "password", 200);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var user = await users.VerifyAsync(request.UserName, request.Password);
        if (user is null)
        {
            return TypedResults.Problem("Wrong user name or password.", statusCode: 401, title: "Unauthorized");
        }

        return TypedResults.Ok(tokens.Issue(user.Id, user.UserName, user.RoleValue, user.OrgUnitId));
    }
}
