using System.Globalization;
using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.CustomFields;
using Crm.Grains.Deals;
using Crm.Server.Api.Common;
using Crm.Server.Api.Customers;
using Crm.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Deals;

/// <summary>
/// Deals (opportunities): opened on a customer, moved along their pipeline, won or lost, with attempts recorded on the
/// way. Commands go to the customer's grain (a deal's changes are events on the customer's log); lists read the
/// <c>deals</c> table with the customers' visibility rules.
/// </summary>
public static class DealsApi
{
    /// <summary>Opening a deal on the shared <c>/api/customers</c> group, the deals' own routes under <c>/api/deals</c>.</summary>
    public static IEndpointRouteBuilder MapDealsApi(this IEndpointRouteBuilder app, RouteGroupBuilder customers)
    {
        customers.MapPost("/{id:guid}/deals", Create).WithTags("Deals");
        var api = app.MapGroup("/api/deals").WithTags("Deals").RequireAuthorization();
        api.MapGet("/", List);
        api.MapGet("/{id}", Get);
        api.MapPost("/{id}/stage", MoveStage);
        api.MapPost("/{id}/win", Win);
        api.MapPost("/{id}/lose", Lose);
        api.MapPost("/{id}/attempts", AddAttempt);
        return app;
    }

    private static async Task<Results<Created<DealDto>, ValidationProblem, ProblemHttpResult>> Create(
        Guid id, CreateDealRequest request, HttpContext http, IGrainFactory grains, DealCatalog catalog, CatalogStore store, CustomFieldCatalog fields)
    {
        var (deal, validation) = await DealInput.ResolveAsync(request, catalog, store, fields);
        if (deal is null)
        {
            return validation.ToProblem();
        }

        var opened = await grains.GetGrain<ICustomerDeals>(id).OpenDeal(deal, http.User.ToActor());
        return ApiResults.CreatedOrProblem(Map(id, opened, deal.Lines), d => $"/api/deals/{d.Id}");
    }

    private static async Task<Results<Ok<Page<DealDto>>, ValidationProblem>> List(
        string? owner, string? stage, string? status, DateOnly? closingBefore, Guid? customerId, string? pipelineId, int? page, int? pageSize,
        HttpContext http, DealQueries deals)
    {
        var validation = new Validation().CheckPaging(page, pageSize)
            .MaxLength(owner, "owner", 64).MaxLength(stage, "stage", 40).MaxLength(pipelineId, "pipelineId", 64)
            .Check(status is null or "open" or "won" or "lost", "status", "Must be one of: open, won, lost.")
            .Date(closingBefore, "closingBefore");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var filter = new DealFilter(owner, stage, status,
            closingBefore is { } date ? new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds() : null,
            customerId?.ToString(), pipelineId);
        return TypedResults.Ok(await deals.ListAsync(filter, http.User.ToVisibility(), page, pageSize));
    }

    /// <summary>One deal with its lines, if the caller sees its customer (a deal outside the caller's reach is answered 404).</summary>
    private static async Task<Results<Ok<DealDto>, ValidationProblem, ProblemHttpResult>> Get(
        string id, HttpContext http, IGrainFactory grains, DealQueries deals, CustomerQueries customers)
    {
        if (await CustomerHeld.VisibleHolderAsync(await deals.CustomerOfAsync(id), http, customers) is not { } customerId)
        {
            return ApiResults.NotFound("Deal", id);
        }

        var deal = (await grains.GetGrain<ICustomerDeals>(customerId).GetDeal(id, http.User.ToActor())).AsRecordNotFound(customerId, "Deal", id);
        return deal.Ok ? TypedResults.Ok(CatalogMappings.ToDto(customerId, deal.Value!, await deals.LinesAsync(id))) : ApiResults.OkOrProblem(Map(customerId, deal));
    }

    private static Task<Results<Ok<DealDto>, ValidationProblem, ProblemHttpResult>> MoveStage(
        string id, DealStageRequest request, HttpContext http, IGrainFactory grains, DealQueries deals, CustomerQueries customers)
    {
        var validation = new Validation().Require(request.StageKey, "stageKey", 40).MaxLength(request.Reason, "reason", 500)
            .Check(request.Probability is null or >= 0 and <= 100, "probability", "A probability is between 0 and 100.");
        return OnDealAsync(id, validation, http, grains, deals, customers, (deal, actor) => deal.MoveDeal(id, request.StageKey!.Trim(), Trim(request.Reason), request.Probability, actor));
    }

    private static Task<Results<Ok<DealDto>, ValidationProblem, ProblemHttpResult>> Win(
        string id, WinDealRequest? request, HttpContext http, IGrainFactory grains, DealQueries deals, CustomerQueries customers, DealCatalog catalog) =>
        OnDealAsync(id, new Validation().Check(request?.Amount is null or >= 0 and <= Grains.Money.Amounts.Max, "amount",
                $"An amount is between 0 and {Grains.Money.Amounts.Max}."), http, grains, deals, customers,
            async (deal, actor) =>
            {
                if (request?.Amount is { } amount && await DecimalsRefusedAsync(deal, id, amount, actor, catalog) is { } refused)
                {
                    return refused;
                }

                return await deal.WinDeal(id, request?.Amount, request?.WonAt, actor);
            });

    private static Task<Results<Ok<DealDto>, ValidationProblem, ProblemHttpResult>> Lose(
        string id, LoseDealRequest request, HttpContext http, IGrainFactory grains, DealQueries deals, CustomerQueries customers)
    {
        var validation = new Validation().Require(request.Reason, "reason", 40).MaxLength(request.Competitor, "competitor", 200).MaxLength(request.Note, "note", 2000);
        return OnDealAsync(id, validation, http, grains, deals, customers,
            (deal, actor) => deal.LoseDeal(id, request.Reason!.Trim(), Trim(request.Competitor), Trim(request.Note), actor));
    }

    private static Task<Results<Ok<DealDto>, ValidationProblem, ProblemHttpResult>> AddAttempt(
        string id, DealAttemptRequest request, HttpContext http, IGrainFactory grains, DealQueries deals, CustomerQueries customers)
    {
        var validation = new Validation().Require(request.Kind, "kind").Require(request.Outcome, "outcome").MaxLength(request.Reason, "reason", 500);
        return OnDealAsync(id, validation, http, grains, deals, customers, (deal, actor) => deal.RecordAttempt(id, AttemptNames.Kind(request.Kind!.Value),
            AttemptNames.Outcome(request.Outcome!.Value), Trim(request.Reason), actor));
    }

    /// <summary>A won amount must fit the deal's currency: the deal is read first to know it.</summary>
    private static async Task<Result<DealRecord>?> DecimalsRefusedAsync(ICustomerDeals grain, string id, decimal amount, Actor actor, DealCatalog catalog)
    {
        var current = await grain.GetDeal(id, actor);
        if (!current.Ok)
        {
            return current;
        }

        var minorUnits = await catalog.MinorUnitsAsync(current.Value!.Currency) ?? 2;
        if (Grains.Money.Amounts.FitsMinorUnits(amount, minorUnits))
        {
            return null;
        }

        return CrmError.Invalid("amount", $"{current.Value.Currency} amounts have at most {minorUnits} decimals.");
    }

    private static async Task<Results<Ok<DealDto>, ValidationProblem, ProblemHttpResult>> OnDealAsync(string id, Validation validation, HttpContext http,
        IGrainFactory grains, DealQueries deals, CustomerQueries customers, Func<ICustomerDeals, Actor, Task<Result<DealRecord>>> command)
    {
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        // A deal out of the caller's reach answers as an unknown one: the same 404, never its customer's (docs/permissions.md).
        if (await CustomerHeld.VisibleHolderAsync(await deals.CustomerOfAsync(id), http, customers) is not { } customerId)
        {
            return ApiResults.NotFound("Deal", id);
        }

        var result = await command(grains.GetGrain<ICustomerDeals>(customerId), http.User.ToActor());
        return ApiResults.OkOrProblem(Map(customerId, result.AsRecordNotFound(customerId, "Deal", id)));
    }

    private static Result<DealDto> Map(Guid customerId, Result<DealRecord> result, IReadOnlyList<DealLine>? lines = null) =>
        result.Error is { } error
            ? error
            : CatalogMappings.ToDto(customerId, result.Value!, lines?.Select(l => new DealLineDto(l.ProductId, l.Name, l.Quantity, l.UnitPrice, l.Discount, l.Total)).ToList());

    private static string? Trim(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
