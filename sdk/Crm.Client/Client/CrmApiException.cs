using System.Net;
using System.Text.Json;

namespace Crm.Client;

/// <summary>
/// A refusal from the server (RFC 7807 ProblemDetails): the HTTP status, the machine-readable <see cref="Code"/>
/// (<c>already-owned</c>, <c>capacity-full</c>, <c>duplicate</c>...) and, for a 400, the errors per field.
/// </summary>
public sealed class CrmApiException(HttpStatusCode status, string? code, string message, IReadOnlyDictionary<string, string[]> errors, JsonElement? problem)
    : Exception(message)
{
    public HttpStatusCode Status { get; } = status;

    public string? Code { get; } = code;

    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    /// <summary>The whole ProblemDetails document, for the ids a refusal names (e.g. <c>ownerId</c>).</summary>
    public JsonElement? Problem { get; } = problem;

    internal static async Task<CrmApiException> FromAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonElement? problem = null;
        try
        {
            if (text.TrimStart().StartsWith('{'))
            {
                problem = JsonDocument.Parse(text).RootElement.Clone();
            }
        }
        catch (JsonException)
        {
        }

        string? Read(string name) => problem is { } p && p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        var errors = new Dictionary<string, string[]>();
        if (problem is { } doc && doc.TryGetProperty("errors", out var fields) && fields.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in fields.EnumerateObject())
            {
                errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                    ? field.Value.EnumerateArray().Select(e => e.ToString()).ToArray()
                    : [field.Value.ToString()];
            }
        }

        var message = Read("detail") ?? Read("title") ?? $"{(int)response.StatusCode} {response.ReasonPhrase}";
        return new CrmApiException(response.StatusCode, Read("code"), message, errors, problem);
    }
}
