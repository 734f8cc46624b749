using Crm.Client;
using Crm.Grains.Common;
using Crm.Server.Api.Common;
using Crm.Server.Auth;
using Crm.Server.Permissions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Auth;

/// <summary>
/// Sign-in and the user's own password. Anonymous by design, throttled per client address (the "sign-in" rate-limit
/// policy) and per user name, with a growing lockout after repeated failures (docs/security.md).
/// </summary>
public static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/auth").WithTags("Auth").AllowAnonymous().RequireRateLimiting(SignInRateLimits.Policy);
        api.MapPost("/token", IssueToken);
        api.MapPost("/password", ChangePassword);
        return app;
    }

    private static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> IssueToken(
        TokenRequest request, HttpContext http, SignIn signIn, PasswordStore passwords, TokenService tokens)
    {
        var validation = new Validation().Require(request.UserName, "userName", 64).Require(request.Password, "password", PasswordPolicy.MaxLength);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var outcome = await signIn.AuthenticateAsync(request.UserName, request.Password, http);
        if (Refusal(outcome, http) is { } refusal)
        {
            return refusal;
        }

        var user = outcome.User!;
        if (await passwords.MustChangeAsync(user.Id))
        {
            return ApiResults.Problem(new CrmError(ErrorCodes.PasswordChangeRequired,
                "Choose a new password first (POST /api/auth/password).", 403));
        }

        return TypedResults.Ok(tokens.Issue(user.Id, user.UserName, user.RoleValue, user.OrgUnitId));
    }

    /// <summary>Changes the caller's own password, proven by the current one; also how a required change is made.</summary>
    private static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> ChangePassword(
        ChangePasswordRequest request, HttpContext http, SignIn signIn, PasswordStore passwords, TokenService tokens, AuditLog audit,
        AdminPasswordFile adminFile)
    {
        var policy = PasswordPolicy.Check(request.NewPassword, request.UserName ?? "");
        var validation = new Validation()
            .Require(request.UserName, "userName", 64)
            .Require(request.CurrentPassword, "currentPassword", PasswordPolicy.MaxLength)
            .Check(policy is null, "newPassword", policy ?? "")
            .Check(request.NewPassword is null || request.NewPassword != request.CurrentPassword, "newPassword", "Choose a password other than the current one.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var outcome = await signIn.AuthenticateAsync(request.UserName!, request.CurrentPassword!, http);
        if (Refusal(outcome, http) is { } refusal)
        {
            return refusal;
        }

        var user = outcome.User!;
        await passwords.SetAsync(user.Id, user.UserName, request.NewPassword!, mustChange: false);
        await audit.WriteAsync(user.Id, AuditLog.Actions.PasswordChanged, "user", user.Id, new()
        {
            ["address"] = http.Connection.RemoteIpAddress?.ToString(),
        });
        adminFile.DeleteFor(user.UserName);
        return TypedResults.Ok(tokens.Issue(user.Id, user.UserName, user.RoleValue, user.OrgUnitId));
    }

    private static ProblemHttpResult? Refusal(SignInOutcome outcome, HttpContext http)
    {
        if (outcome.RetryAfter is { } wait)
        {
            return SignInRateLimits.TooManyRequests(http, wait);
        }

        return outcome.Succeeded ? null : TypedResults.Problem("Wrong user name or password.", statusCode: 401, title: "Unauthorized");
    }
}
