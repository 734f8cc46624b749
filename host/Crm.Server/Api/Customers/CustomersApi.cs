using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.CustomFields;
using Crm.Grains.Customers;
using Crm.Grains.Dedup;
using Crm.Grains.Metrics;
using Crm.Grains.Pools;
using Crm.Server.Api.Dedup;
using Crm.Server.Api.Common;
using Crm.Server.Api.CustomFields;
using Crm.Server.Api.Pools;
using Crm.Server.Health;
using Crm.Server.Auth;
using Crm.Server.Org;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Customers;

public static class CustomersApi
{
    /// <summary>The customer's own routes, on the shared <c>/api/customers</c> group (Composition/ApiComposition).</summary>
    public static RouteGroupBuilder MapCustomersApi(this RouteGroupBuilder customers)
    {
        var api = customers.MapGroup("").WithTags("Customers");
        api.MapPost("/", Create);
        api.MapGet("/", Search);
        api.MapGet("/{id:guid}", Get);
        api.MapGet("/{id:guid}/timeline", Timeline);
        api.MapPost("/{id:guid}/claim", Claim);
        api.MapPost("/{id:guid}/release", Release);
        api.MapPost("/{id:guid}/assign", Assign).RequireAuthorization(Policies.ManagerOrAdmin);
        // Carries the request's id, so a call whose silo left mid-way is sent again without adding it twice.
        api.MapPost("/{id:guid}/follow-ups", AddFollowUp).WithMetadata(SafeToSendAgain.Instance);
        api.MapPost("/{id:guid}/stage", ChangeStage);
        return customers;
    }

    private static async Task<Results<Created<CustomerDto>, ValidationProblem, ProblemHttpResult>> Create(
        CreateCustomerRequest request, HttpContext http, IGrainFactory grains, UserDirectory users, DedupGate dedup, PoolQueries pools,
        PoolDirectory poolDirectory, CustomFieldCatalog fields, CustomerQueries customers)
    {
        request = IdentityText.Normalize(request);
        var validation = ValidateProfile(request);
        CustomFieldInput.Values(await fields.ForAsync(CustomFieldEntity.Customer), request.CustomFields, validation, createdAtStage: "lead");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var actor = http.User.ToActor();
        if (request.OwnerId is { } ownerId)
        {
            if (actor.Role == UserRole.Rep && ownerId != actor.UserId)
            {
                return ApiResults.Problem(new(ErrorCodes.Forbidden, "A rep may create customers for itself only; managers assign.", 403));
            }

            if (await users.GetAsync(ownerId) is not { RoleValue: UserRole.Rep })
            {
                return new Validation().Check(false, "ownerId", $"'{ownerId}' is not a rep.").ToProblem();
            }
        }

        // A pool outside the caller's part of the tree is refused before the dedup gate can say anything about it.
        if (!await pools.IsVisibleAsync(request.PoolId!, http.User.ToVisibility()))
        {
            return new Validation().Check(false, "poolId", $"Pool '{request.PoolId}' does not exist.").ToProblem();
        }

        // Every creation goes through the dedup gate: the pool's rule may block it, and the index must know it.
        var pool = await poolDirectory.InfoAsync(request.PoolId!);
        var outcome = await dedup.CreateAsync(Guid.NewGuid(), request.ToNewCustomer(), actor, pool?.Rules.Dedup);
        if (outcome.Decision.Blocked)
        {
            return await DedupResults.DuplicateAsync(outcome.Decision, grains, users, http.User.ToActor());
        }

        return ApiResults.CreatedOrProblem(outcome.Error is { } error ? error : (Result<CustomerDto>)outcome.Customer!.ToDto(), customer => $"/api/customers/{customer.Id}");
    }

    internal static Validation ValidateProfile(CreateCustomerRequest request) => new Validation()
        .Require(request.Name, "name", 200)
        .Require(request.PoolId, "poolId", 64)
        .MaxLength(request.Company, "company", 200)
        .MaxLength(request.Address, "address", 500)
        .MaxLength(request.Source, "source", 100)
        .MaxLength(request.TaxId, "taxId", 64)
        .MaxLength(request.Email, "email", 254)
        .MaxLength(request.Phone, "phone", 40)
        .Phone(request.Phone, "phone")
        .Email(request.Email, "email");

    private static async Task<Results<Ok<Page<CustomerDto>>, ValidationProblem>> Search(
        string? query, string? poolId, string? ownerId, Stage? stage, StatusPool? statusPool, string? level, int? page, int? pageSize, string? after,
        HttpContext http, CustomerQueries customers, CustomFieldCatalog catalog)
    {
        // stage and statusPool are taken by their lower-case names before this runs (Api/Common/EnumQueryValues).
        var fields = http.Request.Query.Where(q => q.Key.StartsWith("cf.", StringComparison.Ordinal))
            .Select(q => new KeyValuePair<string, string>(q.Key[3..], q.Value.ToString())).ToList();
        var validation = new Validation().CheckPaging(page, pageSize).CheckCursor(page, after, out var cursor).MaxLength(query, "query", 200).MaxLength(level, "level", 20)
            .Check(fields.Count <= 5 && fields.All(f => f.Key.Length is > 0 and <= 40 && f.Value.Length <= 200), "cf",
                "At most 5 custom field filters (cf.key=value), keys up to 40 and values up to 200 characters.");
        var defined = new Dictionary<string, CustomFieldType>(StringComparer.Ordinal);
        if (fields.Count > 0 && validation.IsValid)
        {
            // A key no field has would filter everything out without a word: a typo answers as a body's unknown key does.
            // The catalog is cached per silo: a field defined through another silo moments ago is looked up afresh first.
            defined = await DefinedAsync(catalog);
            if (fields.Any(f => !defined.ContainsKey(f.Key)))
            {
                catalog.Invalidate();
                defined = await DefinedAsync(catalog);
            }

            foreach (var unknown in fields.Where(f => !defined.ContainsKey(f.Key)))
            {
                validation.Check(false, $"cf.{unknown.Key}", "No custom field of customers has this key.");
            }
        }

        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var filter = new CustomerFilter
        {
            Query = query, PoolId = poolId, OwnerId = ownerId, Stage = stage, StatusPool = statusPool, Level = level, Fields = fields,
            NumberFields = defined.Where(d => d.Value == CustomFieldType.Number).Select(d => d.Key).ToHashSet(StringComparer.Ordinal),
        };
        return TypedResults.Ok(await customers.SearchAsync(filter, http.User.ToVisibility(), page, pageSize, cursor));
    }

    private static async Task<Dictionary<string, CustomFieldType>> DefinedAsync(CustomFieldCatalog catalog) =>
        (await catalog.ForAsync(CustomFieldEntity.Customer)).ToDictionary(f => f.Key, f => f.Type, StringComparer.Ordinal);

    private static async Task<Results<Ok<CustomerDto>, StatusCodeHttpResult, RedirectHttpResult, ProblemHttpResult>> Get(
        Guid id, HttpContext http, IGrainFactory grains, ILocalSiloDetails silo)
    {
        // The grain moves to the silo its reads come through (ReadAffinity); the context does not outlive this call.
        RequestContext.Set(ReadAffinity.OriginKey, silo.SiloAddress);
        return await grains.GetGrain<ICustomerGrain>(id).Read(http.User.ToActor()) switch
        {
            // A customer merged into another is an alias: it redirects to the survivor (whose visibility is checked there).
            { MergedInto: { } survivor } => TypedResults.Redirect($"/api/customers/{survivor}", permanent: true, preserveMethod: true),
            { Customer: { } customer } when CustomerDetailsApi.IsCurrent(http, customer.Version) => TypedResults.StatusCode(StatusCodes.Status304NotModified),
            { Customer: { } customer } => CustomerDetailsApi.WithETag(http, customer.ToDto()),
            _ => ApiResults.NotFound("Customer", id.ToString()),
        };
    }

    /// <summary>The history, newest first, a page at a time: <c>?before=</c> takes the <c>nextBefore</c> of the page before.</summary>
    private static async Task<Results<Ok<TimelinePage>, ValidationProblem, ProblemHttpResult>> Timeline(
        Guid id, string? before, int? limit, HttpContext http, IGrainFactory grains, ILocalSiloDetails silo)
    {
        RequestContext.Set(ReadAffinity.OriginKey, silo.SiloAddress);
        return await TimelinePaging.PageAsync(id, before, limit,
            (cursor, size) => grains.GetGrain<ICustomerGrain>(id).GetTimeline(cursor, size, http.User.ToActor()), page => page.ToDto());
    }

    private static async Task<Results<Ok<CustomerDto>, ValidationProblem, ProblemHttpResult>> Claim(
        Guid id, HttpContext http, IGrainFactory grains) =>
        ApiResults.OkOrProblem((await grains.GetGrain<ICustomerGrain>(id).Claim(http.User.ToActor())).ToDto());

    private static async Task<Results<Ok<CustomerDto>, ValidationProblem, ProblemHttpResult>> Release(
        Guid id, ReleaseRequest? request, HttpContext http, IGrainFactory grains)
    {
        var validation = new Validation().MaxLength(request?.Reason, "reason", 500);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        return ApiResults.OkOrProblem((await grains.GetGrain<ICustomerGrain>(id).Release(request?.Reason, http.User.ToActor())).ToDto());
    }

    private static async Task<Results<Ok<CustomerDto>, ValidationProblem, ProblemHttpResult>> Assign(
        Guid id, AssignRequest request, HttpContext http, IGrainFactory grains, UserDirectory users)
    {
        var validation = new Validation().Require(request.RepId, "repId", 64).MaxLength(request.Reason, "reason", 500);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        if (await users.GetAsync(request.RepId!) is not { RoleValue: UserRole.Rep })
        {
            return new Validation().Check(false, "repId", $"'{request.RepId}' is not a rep.").ToProblem();
        }

        return ApiResults.OkOrProblem((await grains.GetGrain<ICustomerGrain>(id).Assign(request.RepId!, request.Reason, http.User.ToActor())).ToDto());
    }

    private static async Task<Results<Created<TimelineEntryDto>, ValidationProblem, ProblemHttpResult>> AddFollowUp(
        Guid id, FollowUpRequest request, HttpContext http, IGrainFactory grains)
    {
        var validation = new Validation()
            .Require(request.Type, "type")
            .Require(request.Outcome, "outcome", 200)
            .MaxLength(request.Text, "text", 4000)
            .MaxLength(request.Location, "location", 500)
            // The grain refuses a follow-up in the future; one before 2000 is a typo, not a call.
            .Check(request.At is not { } at || at.UtcDateTime.Year >= ReportPeriod.MinYear, "at", $"'at' is from {ReportPeriod.MinYear} on.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var added = await grains.GetGrain<ICustomerGrain>(id).AddFollowUp(request.ToNewFollowUp() with { RequestId = SafeToSendAgain.Of(http) },
            http.User.ToActor());
        return ApiResults.CreatedOrProblem(added.ToDto(), entry => $"/api/customers/{id}/timeline#{entry.Seq}");
    }

    private static async Task<Results<Ok<CustomerDto>, ValidationProblem, ProblemHttpResult>> ChangeStage(
        Guid id, StageChangeRequest request, HttpContext http, IGrainFactory grains)
    {
        var validation = new Validation().Require(request.Stage, "stage").MaxLength(request.Reason, "reason", 500);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        return ApiResults.OkOrProblem((await grains.GetGrain<ICustomerGrain>(id).ChangeStage((CustomerStage)request.Stage!.Value, request.Reason, http.User.ToActor())).ToDto());
    }
}
