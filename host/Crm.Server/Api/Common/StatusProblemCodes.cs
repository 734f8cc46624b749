using Crm.Client;

namespace Crm.Server.Api.Common;

/// <summary>
/// Every ProblemDetails names a <c>code</c>, as the API document promises: the answers the framework gives on its own
/// (no token, a role refused by a policy, a path no route matches such as a customer id that is no GUID, a method the
/// route does not take) carried only a status and a title, and a client switching on <c>code</c> found nothing. A
/// problem that names its own code keeps it.
/// </summary>
public static class StatusProblemCodes
{
    public static void AddMissing(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (!problem.Extensions.ContainsKey("code") && Of(problem.Status ?? context.HttpContext.Response.StatusCode) is { } code)
        {
            problem.Extensions["code"] = code;
        }

        // The framework's own refusals carry no detail; a client (and its developer) is told what to change.
        problem.Detail ??= (problem.Status ?? context.HttpContext.Response.StatusCode) switch
        {
            StatusCodes.Status401Unauthorized => "Sign in first: send 'Authorization: Bearer <accessToken>' (POST /api/auth/token); the token may have run out.",
            StatusCodes.Status403Forbidden => "Your role may not do this (docs/permissions.md).",
            StatusCodes.Status404NotFound => "No such resource here.",
            StatusCodes.Status405MethodNotAllowed => "This path does not take this method (see the API document at /openapi/v1.json).",
            StatusCodes.Status415UnsupportedMediaType => "Send the body as JSON with 'Content-Type: application/json' (imports: CSV or XLSX).",
            _ => null,
        };
    }

    private static string? Of(int status) => status switch
    {
        StatusCodes.Status400BadRequest => ErrorCodes.Invalid,
        StatusCodes.Status401Unauthorized => ErrorCodes.Unauthorized,
        StatusCodes.Status403Forbidden => ErrorCodes.Forbidden,
        StatusCodes.Status404NotFound => ErrorCodes.NotFound,
        StatusCodes.Status405MethodNotAllowed => ErrorCodes.MethodNotAllowed,
        StatusCodes.Status415UnsupportedMediaType => ErrorCodes.UnsupportedMediaType,
        _ => null,
    };
}
