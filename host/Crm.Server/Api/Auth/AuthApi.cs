using Crm.Client;
using Crm.Grains.Common;
using Crm.Server.Api.Common;
using Crm.Server.Auth;
using Crm.Server.Org;
using Crm.Server.Permissions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Auth;

/// <summary>
/// Sign-in, refresh, logout and the user's own password. Anonymous by design, throttled per client address (the
/// "sign-in" rate-limit policy); sign-in and password change also per user name, with a growing lockout after
/// repeated failures (docs/security.md).
/// </summary>
public static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/auth").WithTags("Auth").AllowAnonymous().RequireRateLimiting(SignInRateLimits.Policy);
        api.MapPost("/token", IssueToken);
        api.MapPost("/refresh", Refresh);
        api.MapPost("/logout", Logout);
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
            return PasswordChangeRequired();
        }

        return TypedResults.Ok(await tokens.IssueAsync(user.Id, user.UserName, user.RoleValue, user.OrgUnitId));
    }

    /// <summary>
    /// Uses a refresh token up for the next pair; a token used twice ends its whole family (audited), unless the second use
    /// is a retry within the window (<see cref="AuthOptions.RefreshRetryWindow"/>).
    /// </summary>
    private static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> Refresh(
        RefreshRequest request, HttpContext http, RefreshTokens refreshTokens, UserDirectory users, PasswordStore passwords,
        TokenService tokens, AuditLog audit)
    {
        var validation = new Validation().Require(request.RefreshToken, "refreshToken", 100);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var (outcome, userId, family) = await refreshTokens.UseAsync(request.RefreshToken);
        if (outcome is RefreshOutcome.Reused or RefreshOutcome.Retried)
        {
            // A retry is audited too: it is also what a stolen copy used within the window looks like.
            await audit.WriteAsync(userId!, outcome == RefreshOutcome.Reused ? AuditLog.Actions.RefreshTokenReused : AuditLog.Actions.RefreshTokenRetried,
                "session", family!, new() { ["address"] = http.Connection.RemoteIpAddress?.ToString() });
        }

        if (outcome is not (RefreshOutcome.Rotated or RefreshOutcome.Retried) || await users.GetAsync(userId!) is not { Active: true } user)
        {
            return Unauthorized("The refresh token is not valid (used, expired, revoked or unknown): sign in again.");
        }

        if (await passwords.MustChangeAsync(user.Id))
        {
            return PasswordChangeRequired();
        }

        // The session may have ended since the token was used (a logout, a reset, a departure): then nothing is issued.
        return await tokens.IssueAsync(user.Id, user.UserName, user.RoleValue, user.OrgUnitId, family!, request.RefreshToken) is { } pair
            ? TypedResults.Ok(pair)
            : Unauthorized("The session ended while the refresh token was used: sign in again.");
    }

    private static async Task<Results<NoContent, ValidationProblem>> Logout(LogoutRequest request, RefreshTokens refreshTokens)
    {
        var validation = new Validation().Require(request.RefreshToken, "refreshToken", 100);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        await refreshTokens.RevokeAsync(request.RefreshToken);
        return TypedResults.NoContent();
    }

    /// <summary>Changes the caller's own password, proven by the current one; also how a required change is made. Ends the user's other sessions.</summary>
    private static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> ChangePassword(
        ChangePasswordRequest request, HttpContext http, SignIn signIn, PasswordStore passwords, RefreshTokens refreshTokens,
        TokenService tokens, AuditLog audit, AdminPasswordFile adminFile)
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
        await refreshTokens.RevokeUserAsync(user.Id);
        await audit.WriteAsync(user.Id, AuditLog.Actions.PasswordChanged, "user", user.Id, new()
        {
            ["address"] = http.Connection.RemoteIpAddress?.ToString(),
        });
        adminFile.DeleteFor(user.UserName);
        return TypedResults.Ok(await tokens.IssueAsync(user.Id, user.UserName, user.RoleValue, user.OrgUnitId));
    }

    private static ProblemHttpResult? Refusal(SignInOutcome outcome, HttpContext http)
    {
        if (outcome.RetryAfter is { } wait)
        {
            return SignInRateLimits.TooManyRequests(http, wait);
        }

        return outcome.Succeeded ? null : Unauthorized("Wrong user name or password.");
    }

    private static ProblemHttpResult Unauthorized(string detail) => TypedResults.Problem(detail, statusCode: 401, title: "Unauthorized");

    private static ProblemHttpResult PasswordChangeRequired() => ApiResults.Problem(new CrmError(ErrorCodes.PasswordChangeRequired,
        "Choose a new password first (POST /api/auth/password).", 403));
}
