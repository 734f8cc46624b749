using System.Globalization;
using Crm.Grains.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Common;

/// <summary>Maps grain results to HTTP: 400 ValidationProblem with the field, other refusals as ProblemDetails with a code.</summary>
public static class ApiResults
{
    public static Results<Ok<T>, ValidationProblem, ProblemHttpResult> OkOrProblem<T>(Result<T> result)
    {
        if (result.Error is { } error)
        {
            return error.Status == 400 ? Invalid(error) : Problem(error);
        }

        return TypedResults.Ok(result.Value!);
    }

    public static Results<Created<T>, ValidationProblem, ProblemHttpResult> CreatedOrProblem<T>(Result<T> result, Func<T, string> location)
    {
        if (result.Error is { } error)
        {
            return error.Status == 400 ? Invalid(error) : Problem(error);
        }

        return TypedResults.Created(location(result.Value!), result.Value!);
    }

    public static ValidationProblem Invalid(CrmError error) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]>
        {
            [error.Details?.GetValueOrDefault("field") ?? ""] = [error.Message],
        });

    public static ProblemHttpResult Problem(CrmError error)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = error.Code };
        foreach (var (key, value) in error.Details ?? [])
        {
            extensions[key] = NumberDetails.Contains(key) && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                ? number
                : value;
        }

        return TypedResults.Problem(error.Message, statusCode: error.Status, title: Title(error.Status), extensions: extensions);
    }

    /// <summary>
    /// The details that are counts (a grain's refusal carries its details as text): written as JSON numbers, as the API
    /// document gives them and as the body-size refusal's <c>limit</c> already was.
    /// </summary>
    private static readonly HashSet<string> NumberDetails = ["capacity", "limit", "retryAfterSeconds", "currentVersion"];

    public static ProblemHttpResult NotFound(string what, string id) => Problem(CrmError.NotFound(what, id));

    private static string Title(int status) => status switch
    {
        403 => "Forbidden",
        404 => "Not found",
        409 => "Conflict",
        422 => "Unprocessable request",
        _ => "Request refused",
    };
}
