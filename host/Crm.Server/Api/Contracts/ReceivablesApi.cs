using Crm.Client;
using Crm.Server.Api.Common;
using Crm.Server.Api.Money;
using Crm.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Contracts;

/// <summary>
/// What customers still owe: every instalment not fully paid (due, paid, outstanding, days overdue), of the customers the
/// caller sees, with totals per currency and the outstanding total in the base currency at today's rates.
/// </summary>
public static class ReceivablesApi
{
    public static IEndpointRouteBuilder MapReceivablesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/receivables", List).WithTags("Contracts").RequireAuthorization();
        return app;
    }

    /// <param name="scope"><c>mine</c> (the caller's contracts) or an org unit id (its customers and those of the units below it).</param>
    private static async Task<Results<Ok<ReceivablesPage>, ValidationProblem>> List(
        bool? overdue, string? scope, string? owner, Guid? customerId, DateOnly? dueBefore, int? page, int? pageSize,
        HttpContext http, ContractQueries contracts, RateStore rates, TimeProvider clock)
    {
        var validation = new Validation().CheckPaging(page, pageSize).MaxLength(scope, "scope", 64).MaxLength(owner, "owner", 64)
            .Date(dueBefore, "dueBefore")
            .Check(!(scope == "mine" && owner is not null), "owner", "'scope=mine' already names the owner.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var actor = http.User.ToActor();
        var filter = new ReceivableFilter(overdue, scope is null or "mine" ? null : scope, scope == "mine" ? actor.UserId : owner,
            customerId?.ToString(), dueBefore?.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        var now = clock.GetUtcNow();
        var (items, totals) = await contracts.ReceivablesAsync(filter, http.User.ToVisibility(), now, page, pageSize);
        var table = await rates.TableAsync(totals.Select(t => t.Currency).ToList(), DateOnly.FromDateTime(now.UtcDateTime));
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var missing = totals.Where(t => table.RateOn(t.Currency, today) is null).Select(t => t.Currency).ToList();
        decimal? inBase = missing.Count > 0 ? null : totals.Sum(t => table.ToBase(t.Outstanding, t.Currency, today)!.Value);
        return TypedResults.Ok(new ReceivablesPage(items.Items, items.Total, totals, table.BaseCurrency, inBase, missing));
    }
}
