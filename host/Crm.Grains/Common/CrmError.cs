using Crm.Client;
namespace Crm.Grains.Common;

/// <summary>
/// A refusal that a caller can act on: a machine-readable code (API.md: already-owned, capacity-full, ...),
/// a sentence for people, the HTTP status it maps to and the ids or dates involved.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CrmError(string Code, string Message, int Status, Dictionary<string, string>? Details = null)
{
    public static CrmError NotFound(string what, string id) =>
        new(ErrorCodes.NotFound, $"{what} '{id}' does not exist.", 404, new() { ["id"] = id });

    public static CrmError Conflict(string code, string message, Dictionary<string, string>? details = null) =>
        new(code, message, 409, details);

    public static CrmError Forbidden(string message) => new(ErrorCodes.Forbidden, message, 403);

    /// <summary>A field error: maps to 400 ValidationProblem with the field named.</summary>
    public static CrmError Invalid(string field, string message) =>
        new(ErrorCodes.Invalid, message, 400, new() { ["field"] = field });
}
