using Crm.Client;
using Crm.Server.Api.Common;
using Crm.Server.Auth;
using Crm.Server.Org;
using Crm.Server.Permissions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Users;

/// <summary><c>POST /api/users/{id}/password</c>: an admin sets a user's password, which the user must change at its next sign-in; its sessions end.</summary>
public static class UserPasswords
{
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Reset(
        string id, ResetPasswordRequest request, HttpContext http, UserDirectory users, PasswordStore passwords, RefreshTokens refreshTokens, AuditLog audit)
    {
        if (await users.GetAsync(id) is not { } user)
        {
            return ApiResults.NotFound("User", id);
        }

        if (!user.Active)
        {
            // As for every other change to a user who left: it cannot sign in, so a new password would only fill the audit log.
            return ApiResults.Problem(new("user-left", $"User '{id}' has left: its password is not reset.", 409, new() { ["id"] = id }));
        }

        var policy = PasswordPolicy.Check(request.NewPassword, user.UserName);
        if (policy is not null)
        {
            return new Validation().Check(false, "newPassword", policy).ToProblem();
        }

        await passwords.SetAsync(user.Id, user.UserName, request.NewPassword, mustChange: true);
        await refreshTokens.RevokeUserAsync(user.Id);
        await audit.WriteAsync(http.User.ToActor().UserId, AuditLog.Actions.PasswordReset, "user", user.Id, new()
        {
            ["address"] = http.Connection.RemoteIpAddress?.ToString(),
        });
        return TypedResults.NoContent();
    }
}
