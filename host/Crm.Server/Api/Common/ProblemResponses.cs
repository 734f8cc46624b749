using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Crm.Server.Api.Common;

/// <summary>
/// Writes the error answers every API route can give into the OpenAPI document. The document learns a route's answers
/// from its typed results, which name 200/201 and the 400 of a validation problem only; a refusal built at run time
/// (404 not-found, 409 already-owned, the idempotency answers, 503 database-unavailable) would be missing, and a client
/// generated from the document would not read its ProblemDetails and <c>code</c>. Each /api route gets: 401 when it
/// needs a sign-in, 403 when it needs a role, 404 when its path names something, 409 and 422 when it is a command
/// (idempotency keys, conflicts), 413 when it takes a body, 503 always, and <c>default</c> for any other refusal.
/// </summary>
public sealed class ProblemResponses : IOpenApiOperationTransformer
{
    public const string SchemaName = "CrmProblemDetails";

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        if (description.RelativePath is not { } path || !path.StartsWith("api/", StringComparison.Ordinal) || context.Document is not { } document)
        {
            return Task.CompletedTask;
        }

        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (!document.Components.Schemas.ContainsKey(SchemaName))
        {
            document.Components.Schemas[SchemaName] = Schema();
        }

        var metadata = description.ActionDescriptor.EndpointMetadata;
        var signedIn = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        var role = metadata.OfType<IAuthorizeData>().Any(a => !string.IsNullOrEmpty(a.Policy) || !string.IsNullOrEmpty(a.Roles));
        var command = description.HttpMethod is "POST" or "PUT" or "PATCH" or "DELETE";

        operation.Responses ??= new OpenApiResponses();
        var problem = new OpenApiSchemaReference(SchemaName, document);
        var input = command || description.ParameterDescriptions.Any(p => p.Source != BindingSource.Path);
        Add(operation, problem, "400", "Bad input (fields named in `errors`), or a bad Idempotency-Key header.", input);
        Add(operation, problem, "401", "No token, a bad or expired one, or its session ended.", signedIn);
        // Beside the role a route requires, most refuse by the caller's relation to the item at run time (not its owner).
        Add(operation, problem, "403", "The caller's role, or its relation to the item, may not do this.", role || signedIn);
        Add(operation, problem, "404", "`not-found`: it does not exist or is outside the caller's part of the org tree.", path.Contains('{'));
        Add(operation, problem, "409", "A conflict (`code` and the ids involved, docs/api.md), or `idempotency-key-in-flight` (`Retry-After`).", command);
        var body = command && (operation.RequestBody is not null || path.EndsWith("/import", StringComparison.Ordinal));
        Add(operation, problem, "413", "`too-large`: the body is larger than the route takes (`limit`).", body);
        Add(operation, problem, "415", "`unsupported-media-type`: the body is not of a type the route takes (JSON; imports CSV or XLSX).", body);
        Add(operation, problem, "422", "`idempotency-key-reused`: the Idempotency-Key was used before with another request.", command);
        Add(operation, problem, "503", "`database-unavailable`, `silo-stopping` or `outcome-unknown` (`Retry-After`): retry.", true);
        Add(operation, problem, "default", "Any other refusal: ProblemDetails with a `code`.", true);
        if (command)
        {
            AddHeader(operation, "Idempotency-Key", $"Makes a retry safe: the same key and request within the retention get the first answer again (`Idempotent-Replayed: true`) without running twice (docs/reliability.md). 1 to {Idempotency.IdempotencyOptions.MaxKeyLength} characters.",
                Idempotency.IdempotencyOptions.MaxKeyLength);
        }

        if (description.HttpMethod == "PATCH" && path == "api/customers/{id}")
        {
            AddHeader(operation, "If-Match", "The customer's version as read (`\"7\"`, the `ETag` of `GET /api/customers/{id}`): the edit is made only if it is still that version, else `412 precondition-failed` with `currentVersion`.", 40);
            Add(operation, problem, "412", "`precondition-failed`: the customer changed since the `If-Match` version (`currentVersion`); nothing was changed.", true);
        }

        return Task.CompletedTask;
    }

    private static void AddHeader(OpenApiOperation operation, string name, string description, int maxLength)
    {
        operation.Parameters ??= [];
        if (operation.Parameters.Any(p => p.Name == name && p.In == ParameterLocation.Header))
        {
            return;
        }

        operation.Parameters.Add(new OpenApiParameter
        {
            Name = name,
            In = ParameterLocation.Header,
            Required = false,
            Description = description,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = maxLength },
        });
    }

    private static void Add(OpenApiOperation operation, OpenApiSchemaReference problem, string status, string description, bool applies)
    {
        if (!applies || operation.Responses!.ContainsKey(status))
        {
            return; // a route's own typed answer (its validation problem) stays as the route described it
        }

        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = problem } },
        };
    }

    /// <summary>RFC 7807 with the members this API adds: <c>code</c>, <c>traceId</c>, field <c>errors</c> and the ids involved.</summary>
    private static OpenApiSchema Schema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 7807 ProblemDetails. `code` is machine-readable (docs/api.md lists them); a conflict also names the ids involved (`customerId`, `ownerId`, `limit`...).",
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = Text(),
            ["title"] = Text(),
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null, Format = "int32" },
            ["detail"] = Text(),
            ["instance"] = Text(),
            ["code"] = Text(),
            ["traceId"] = Text(),
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object | JsonSchemaType.Null,
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
        },
        AdditionalPropertiesAllowed = true,
        Examples = [JsonNode.Parse("""{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.10","title":"Conflict","status":409,"detail":"Another rep already owns this customer.","code":"already-owned","customerId":"c6f17d8f-2406-4da7-9125-f48326b58872"}""")!],
    };

    private static OpenApiSchema Text() => new() { Type = JsonSchemaType.String | JsonSchemaType.Null };
}
