using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Contracts;
using Crm.Grains.Deals;
using Crm.Server.Api.Common;
using Crm.Server.Api.Customers;
using Crm.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Contracts;

/// <summary>
/// Contracts on won deals and the payments received on them. Commands go to the customer's grain (a contract's changes
/// are events on the customer's log); reads come from the <c>contracts</c>, <c>payment_plan</c> and <c>payments</c>
/// tables with the customers' visibility rules.
/// </summary>
public static class ContractsApi
{
    public static IEndpointRouteBuilder MapContractsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/deals/{id}/contract", Sign).WithTags("Contracts").RequireAuthorization();
        var api = app.MapGroup("/api/contracts").WithTags("Contracts").RequireAuthorization();
        api.MapGet("/", List);
        api.MapGet("/{id}", Get);
        api.MapPost("/{id}/payments", Pay);
        return app;
    }

    private static async Task<Results<Created<ContractDto>, ValidationProblem, ProblemHttpResult>> Sign(
        string id, CreateContractRequest request, HttpContext http, IGrainFactory grains, ContractQueries contracts, CustomerQueries customers, DealCatalog catalog,
        TimeProvider clock)
    {
        // Before the input is checked against the deal's currency: a deal out of reach answers as an unknown one.
        if (await contracts.DealAsync(id) is not { } deal || await CustomerHeld.VisibleHolderAsync(deal.CustomerId, http, customers) is null)
        {
            return ApiResults.NotFound("Deal", id);
        }

        var (contract, validation) = ContractInput.Contract(request, deal.Currency, await catalog.MinorUnitsAsync(deal.Currency) ?? 2);
        if (contract is null)
        {
            return validation.ToProblem();
        }

        var signed = (await grains.GetGrain<ICustomerContracts>(deal.CustomerId).SignContract(id, contract, http.User.ToActor()))
            .AsRecordNotFound(deal.CustomerId, "Deal", id);
        Result<ContractDto> answer = signed.Error is { } error ? error : ContractMappings.ToDto(deal.CustomerId, signed.Value!, clock.GetUtcNow());
        return ApiResults.CreatedOrProblem(answer, c => $"/api/contracts/{c.Id}");
    }

    private static async Task<Results<Ok<Page<ContractDto>>, ValidationProblem>> List(
        string? owner, Guid? customerId, string? dealId, DateOnly? signedFrom, DateOnly? signedBefore, int? page, int? pageSize,
        HttpContext http, ContractQueries contracts)
    {
        var validation = new Validation().CheckPaging(page, pageSize).MaxLength(owner, "owner", 64).MaxLength(dealId, "dealId", 64)
            .Date(signedFrom, "signedFrom").Date(signedBefore, "signedBefore");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var filter = new ContractFilter(owner, customerId?.ToString(), dealId, Ms(signedFrom), Ms(signedBefore));
        return TypedResults.Ok(await contracts.ListAsync(filter, http.User.ToVisibility(), page, pageSize));
    }

    /// <summary>One contract with its plan and payments, if the caller sees its customer (else 404).</summary>
    private static async Task<Results<Ok<ContractDto>, ProblemHttpResult>> Get(
        string id, HttpContext http, ContractQueries contracts, CustomerQueries customers, TimeProvider clock)
    {
        if (await CustomerHeld.VisibleHolderAsync(await contracts.CustomerOfAsync(id), http, customers) is null
            || await contracts.GetAsync(id, clock.GetUtcNow()) is not { } contract)
        {
            return ApiResults.NotFound("Contract", id);
        }

        return TypedResults.Ok(contract);
    }

    private static async Task<Results<Created<PaymentDto>, ValidationProblem, ProblemHttpResult>> Pay(
        string id, PaymentRequest request, HttpContext http, IGrainFactory grains, ContractQueries contracts, CustomerQueries customers, TimeProvider clock)
    {
        var (payment, validation) = ContractInput.Payment(request, clock.GetUtcNow());
        if (payment is null)
        {
            return validation.ToProblem();
        }

        // A contract out of the caller's reach answers as an unknown one: the same 404, never its customer's (docs/permissions.md).
        if (await CustomerHeld.VisibleHolderAsync(await contracts.CustomerOfAsync(id), http, customers) is not { } customerId)
        {
            return ApiResults.NotFound("Contract", id);
        }

        var paid = (await grains.GetGrain<ICustomerContracts>(customerId).RecordPayment(id, payment, http.User.ToActor()))
            .AsRecordNotFound(customerId, "Contract", id);
        Result<PaymentDto> answer = paid.Error is { } error ? error : ContractMappings.ToDto(customerId, paid.Value!);
        return ApiResults.CreatedOrProblem(answer, _ => $"/api/contracts/{id}");
    }

    private static long? Ms(DateOnly? date) => date is { } d ? new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds() : null;
}
