using System.Text.Json;
using System.Text.RegularExpressions;
using Crm.Grains.Common;

namespace Crm.Server.Api.Common;

/// <summary>
/// What a request the handlers never saw gets: a body that is not JSON, a field of the wrong type or not one of an enum's
/// values (<c>"type": "fax"</c>), a query value that is not a number, a date or a boolean (<c>overdue=maybe</c>). The
/// framework answered a bare 400 without saying which field; this answers a validation problem naming it, as the
/// handlers' own checks do. Runs just before the endpoint, so idempotency and request logging see a 400 like any other.
/// </summary>
public static partial class BindingFailures
{
    /// <summary>Makes the route handlers throw on bad input (their default outside Development is a bare 400).</summary>
    public static IServiceCollection AddBindingFailureAnswers(this IServiceCollection services) =>
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

    public static IApplicationBuilder UseBindingFailureAnswers(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode != StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            // A body over its route's limit is answered by BodySizeLimits, further out.
            var (field, message) = Describe(ex);
            var problem = field is null
                ? TypedResults.Problem(message, statusCode: ex.StatusCode)
                : (IResult)TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, message);
            await problem.ExecuteAsync(context);
        }
    });

    /// <summary>The field at fault (null when none can be told) and a message that names no .NET type.</summary>
    public static (string? Field, string Message) Describe(BadHttpRequestException ex)
    {
        if (ex.InnerException is JsonException json)
        {
            // A value the field's type does not take, or JSON that is not well formed (the reader's error inside).
            var field = FieldOf(json.Path);
            var converting = json.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal);
            if (converting && field is not null)
            {
                // A string of half a surrogate pair ("\ud800") or of bytes that are not UTF-8: the reader's own error inside.
                return json.InnerException is InvalidOperationException { Message: var reason } && reason.Contains("UTF-", StringComparison.Ordinal)
                    ? (field, $"'{field}' {JsonText.NotText}")
                    : (field, $"'{field}' is not valid here: a value of the wrong type, or not one of the values it takes.");
            }

            if (json.Message.StartsWith(OffsetDateTimeConverter.NoOffset, StringComparison.Ordinal) && field is not null)
            {
                return (field, $"'{field}' {json.Message}");
            }

            if (UnknownMember().Match(json.Message) is { Success: true } unknown)
            {
                // A field the route does not take (a typo, a field of another route, a wrapper around the body).
                var name = FieldOf(json.Path) ?? unknown.Groups["name"].Value;
                return (name, $"'{name}' is not a field this route takes (see the API document); nothing was changed.");
            }

            if (MissingMembers().Match(json.Message) is { Success: true } absent)
            {
                // A member the SDK's type declares required (an assignment trial's "now", a candidate's "repId").
                var names = absent.Groups["names"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                    .Select(n => n.Trim('\'', '"'));
                var at = field is null ? "" : field + ".";
                return ($"{at}{names.First()}", $"'{at}{names.First()}' is required{(names.Skip(1).Any() ? $" (and {string.Join(", ", names.Skip(1).Select(n => at + n))})" : "")}.");
            }

            return (null, converting ? "The body is JSON of another shape than this route takes (an object, a list: see the API document)."
                : json.LineNumber is { } line ? $"The body is not valid JSON (line {line + 1}, byte {json.BytePositionInLine + 1})."
                : "The body is not valid JSON.");
        }

        if (ParameterValue().Match(ex.Message) is { Success: true } bad)
        {
            var (name, value) = (bad.Groups["name"].Value, bad.Groups["value"].Value);
            return (name, $"'{name}' cannot be '{(value.Length > 64 ? value[..64] + "…" : value)}': not a value of its type.");
        }

        if (ex.Message.EndsWith("was not provided from body.", StringComparison.Ordinal) || ex.Message.StartsWith("Implicit body inferred", StringComparison.Ordinal))
        {
            return (null, "This route takes a JSON body.");
        }

        if (MissingParameter().Match(ex.Message) is { Success: true } missing)
        {
            var name = missing.Groups["name"].Value;
            return (name, $"'{name}' is required.");
        }

        return (null, ex.StatusCode == StatusCodes.Status415UnsupportedMediaType
            ? "The body must be JSON (Content-Type: application/json)."
            : "The request could not be read.");
    }

    /// <summary>"$.rules.capacityPerRep" → "rules.capacityPerRep"; the root (a body that is not JSON at all) → null.</summary>
    private static string? FieldOf(string? path)
    {
        var field = path?.TrimStart('$').TrimStart('.');
        return string.IsNullOrEmpty(field) ? null : field;
    }

    // The framework's messages: Failed to bind parameter "bool overdue" from "maybe". / Required parameter "string q" was not provided from query string.
    [GeneratedRegex("""^Failed to bind parameter "(?:[^"]* )?(?<name>[^" ]+)" from "(?<value>.*)"\.$""", RegexOptions.Singleline)]
    private static partial Regex ParameterValue();

    [GeneratedRegex("""^Required parameter "(?:[^"]* )?(?<name>[^" ]+)" was not provided""")]
    private static partial Regex MissingParameter();

    // The JSON property 'rules' could not be mapped to any .NET member contained in type 'Crm.Client.PoolRules'.
    [GeneratedRegex("""^The JSON property '(?<name>[^']*)' could not be mapped""")]
    private static partial Regex UnknownMember();

    // JSON deserialization for type 'X' was missing required properties including: 'now', 'pool'. (the wording varies a little by version)
    [GeneratedRegex("""missing required properties[^:]*:\s*(?<names>'[^']*'(?:\s*,\s*'[^']*')*)""")]
    private static partial Regex MissingMembers();
}
