using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.CustomFields;
using Crm.Grains.Dedup;
using Crm.Grains.Pools;
using Crm.Server.Api.Common;
using Crm.Server.Api.Customers;
using Crm.Server.Api.Pools;
using Crm.Server.Auth;
using Crm.Server.Idempotency;
using Crm.Server.Permissions;
using Crm.Server.Org;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Crm.Server.Api.Dedup;

/// <summary>Duplicate checks, batch import and merges of customers (routes under <c>/api/customers</c>).</summary>
public static class DedupApi
{
    /// <summary>On the shared <c>/api/customers</c> group (Composition/ApiComposition).</summary>
    public static RouteGroupBuilder MapDedupApi(this RouteGroupBuilder customers)
    {
        var api = customers.MapGroup("").WithTags("Dedup");
        api.MapPost("/check", Check).AsRepLookup(RepLookups.Actions.DuplicateCheck);
        api.MapPost("/{id:guid}/merge", Merge).RequireAuthorization(Policies.ManagerOrAdmin);
        // The import makes a retry with its key safe itself (and streams answers too large to keep): see CustomerImporter.
        api.MapPost("/import", Import).RequireAuthorization(Policies.ManagerOrAdmin).DisableAntiforgery().WithMetadata(KeyedByEndpoint.Instance)
            .WithBodySizeLimit(services => services.GetRequiredService<IOptions<ImportOptions>>().Value.MaxBytes);
        return customers;
    }

    /// <summary>The media types an import answers for (a request without one is read as the file too).</summary>
    public static readonly string[] AcceptedMediaTypes =
        ["text/csv", "text/plain", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/octet-stream", "multipart/form-data"];

    // Also what some clients label these files with: Windows names a .csv "application/vnd.ms-excel" when Excel is installed,
    // and `curl --data-binary @file.csv` sends "application/x-www-form-urlencoded" (read as the file itself, not a form).
    private static readonly string[] AlsoAccepted =
        ["application/csv", "text/tab-separated-values", "application/vnd.ms-excel", "text/comma-separated-values", "application/x-www-form-urlencoded"];

    private static bool AcceptsMediaType(string? contentType) =>
        contentType is null || (Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var type) &&
            AcceptedMediaTypes.Concat(AlsoAccepted).Contains(type.MediaType.Value, StringComparer.OrdinalIgnoreCase));

    /// <summary>
    /// The file and its declared charset: the body, or the only file of a multipart form (what a browser's or Postman's
    /// upload sends); why not, when the form holds no file or several.
    /// </summary>
    private static async Task<(byte[]? File, string? Charset, string? Error)> ReadFileAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        if (request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true)
        {
            try
            {
                var form = await request.ReadFormAsync(cancellationToken);
                if (form.Files.Count != 1)
                {
                    return (null, null, $"The form holds {form.Files.Count} files; send one CSV or XLSX file.");
                }

                await form.Files[0].CopyToAsync(body, cancellationToken);
                return (body.ToArray(), CharsetOf(form.Files[0].ContentType), null);
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException && !cancellationToken.IsCancellationRequested)
            {
                // No boundary, a body cut off, too many parts: the form's fault, a 400, never a 500.
                return (null, null, $"The multipart form could not be read ({ex.Message}); send the CSV or XLSX file as the body or as the form's one file.");
            }
        }

        await request.Body.CopyToAsync(body, cancellationToken);
        return (body.ToArray(), CharsetOf(request.ContentType), null);
    }

    private static string? CharsetOf(string? contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var type) && type.Charset.HasValue ? type.Charset.Value : null;

    /// <summary>Would this lead be a duplicate in its pool, of whom, and what would the pool's rule do? Creates nothing.</summary>
    private static async Task<Results<Ok<DedupCheckResponse>, ValidationProblem, ProblemHttpResult>> Check(
        CreateCustomerRequest request, HttpContext http, IGrainFactory grains, DedupGate dedup, UserDirectory users, PoolQueries pools, CustomerQueries customers)
    {
        request = IdentityText.Normalize(request);
        var validation = CustomersApi.ValidateProfile(request);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        // A pool outside the caller's part of the org tree does not exist as far as the caller knows.
        if (!await pools.IsVisibleAsync(request.PoolId!, http.User.ToVisibility()) || await grains.GetGrain<IPoolGrain>(request.PoolId!).Get() is not { } pool)
        {
            return ApiResults.NotFound("Pool", request.PoolId!);
        }

        var rule = pool.Rules.Dedup ?? new DedupPolicy(dedup.IndexStrategies, "allow");
        var decision = await dedup.CheckAsync(CustomerCard.From(Guid.NewGuid(), request.ToNewCustomer()), rule);
        var matches = await DedupResults.DescribeAsync(decision.Matches, grains, users, http.User.ToActor());
        return TypedResults.Ok(new DedupCheckResponse(matches.Count > 0, decision.Action, matches, decision.UnavailableStrategies));
    }

    /// <summary>A manager merges <c>duplicateId</c> into the customer of the route, which keeps both histories.</summary>
    private static async Task<Results<Ok<CustomerDto>, ValidationProblem, ProblemHttpResult>> Merge(
        Guid id, MergeRequest request, HttpContext http, IGrainFactory grains, AuditLog audit)
    {
        var validation = new Validation().Require(request.DuplicateId, "duplicateId").MaxLength(request.Reason, "reason", 500);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var actor = http.User.ToActor();
        var merged = await grains.GetGrain<Crm.Grains.Customers.ICustomerGrain>(id).MergeFrom(request.DuplicateId!.Value, request.Reason, actor);
        if (merged.Ok)
        {
            await audit.WriteAsync(actor.UserId, AuditLog.Actions.CustomerMerged, "customer", id.ToString(), new()
            {
                ["duplicateId"] = request.DuplicateId.Value.ToString(), ["reason"] = request.Reason,
            });
        }

        return ApiResults.OkOrProblem(merged.ToDto());
    }

    /// <summary>
    /// Imports a CSV or XLSX file (the request body) into a pool. Columns are recognised by their headers or mapped
    /// with <c>mapping</c> (JSON: field or customer custom field key -> header). Send an <c>Idempotency-Key</c> header to make a retry safe.
    /// </summary>
    private static async Task<Results<ImportStream, Ok<ImportReport>, ValidationProblem, ProblemHttpResult>> Import(
        string? poolId, string? mapping, HttpContext http, IGrainFactory grains, CustomerImporter importer, BatchImporter batches, PoolQueries pools,
        KeyedRequests keyed, IOptions<ImportOptions> limits, CustomFieldCatalog fields, CancellationToken cancellationToken)
    {
        var idempotencyKey = http.Request.Headers["Idempotency-Key"].FirstOrDefault();
        var validation = new Validation().Require(poolId, "poolId", 64).MaxLength(idempotencyKey, "Idempotency-Key", 200);
        Dictionary<string, string>? explicitMap = null;
        if (mapping is not null)
        {
            try
            {
                explicitMap = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(mapping);
            }
            catch (System.Text.Json.JsonException)
            {
                validation.Check(false, "mapping", "Give the mapping as a JSON object: {\"company\": \"公司名称\", \"phone\": \"手机\"}.");
            }
        }

        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        // A pool outside the caller's part of the org tree does not exist as far as the caller knows.
        if (!await pools.IsVisibleAsync(poolId!, http.User.ToVisibility()))
        {
            return ApiResults.NotFound("Pool", poolId!);
        }

        if (!AcceptsMediaType(http.Request.ContentType))
        {
            return TypedResults.Problem($"A file of type '{http.Request.ContentType}' cannot be imported; send a CSV or XLSX file as {string.Join(", ", AcceptedMediaTypes)}.",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported Media Type");
        }

        var (file, charset, unreadable) = await ReadFileAsync(http.Request, cancellationToken);
        if (file is null || file.Length == 0)
        {
            return new Validation().Check(false, "file", unreadable ?? "Send the CSV or XLSX file as the request body.").ToProblem();
        }

        var (table, error) = ImportTable.Read(file, limits.Value, charset);
        if (table is null || table.Headers.Count == 0)
        {
            return new Validation().Check(false, "file", error ?? "The file has no header row.").ToProblem();
        }

        // Read once per import and afresh: the silo's copy may miss a field defined through another silo moments ago,
        // whose column would then be dropped without a word.
        fields.Invalidate();
        var (columns, mappingErrors) = ColumnMapping.Resolve(table.Headers, explicitMap, await fields.ForAsync(CustomFieldEntity.Customer));
        if (mappingErrors.Count > 0)
        {
            return new Validation().Merge(mappingErrors).ToProblem();
        }

        if (await grains.GetGrain<IPoolGrain>(poolId!).Get() is not { } pool)
        {
            return ApiResults.NotFound("Pool", poolId!);
        }

        if (!await keyed.IsFirstOrRetryAsync(http, file, charset))
        {
            return ApiResults.Problem(new CrmError(ErrorCodes.IdempotencyKeyReused,
                $"The Idempotency-Key '{idempotencyKey}' was used before with another file, pool or mapping; send a new key for a new import.", 422));
        }

        if (limits.Value.Batched)
        {
            return new ImportStream(table, columns, pool, idempotencyKey, http.User.ToActor(), batches);
        }

        return TypedResults.Ok(await importer.ImportAsync(table, columns, pool, idempotencyKey, http.User.ToActor(), cancellationToken));
    }
}
