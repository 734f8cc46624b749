using System.Text.RegularExpressions;
using Crm.Client;
using Crm.Grains.Deals;
using Crm.Grains.Levels;
using Crm.Server.Api.Customers;
using Crm.Grains.Money;
using Crm.Server.Api.Common;
using Crm.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Levels;

/// <summary>Customer levels: the company's list and rule (everyone reads, admins keep), and a level set by hand on a customer.</summary>
public static partial class LevelsApi
{
    public const int MaxLevels = 10;
    public const int MaxTiers = 10;

    /// <summary>The list's routes, and the level set by hand on the shared <c>/api/customers</c> group.</summary>
    public static IEndpointRouteBuilder MapLevelsApi(this IEndpointRouteBuilder app, RouteGroupBuilder customers)
    {
        var api = app.MapGroup("/api/customer-levels").WithTags("Customer levels").RequireAuthorization();
        api.MapGet("/", Get);
        api.MapPut("/", Replace).RequireAuthorization(Policies.Admin);
        customers.MapPost("/{id:guid}/level", SetLevel).WithTags("Customer levels");
        return app;
    }

    private static async Task<Ok<CustomerLevelsDto>> Get(LevelCatalog catalog) => TypedResults.Ok(ToDto(await catalog.GetAsync()));

    private static async Task<Results<Ok<CustomerLevelsDto>, ValidationProblem>> Replace(CustomerLevelsRequest request, LevelCatalog catalog, DealCatalog deals)
    {
        var levels = request.Levels ?? [];
        var rule = request.Rule;
        var tiers = rule?.Tiers ?? [];
        var validation = new Validation()
            .Check(levels.Count is > 0 and <= MaxLevels, "levels", $"Give 1 to {MaxLevels} levels, best first.")
            .Check(levels.All(l => l is not null && LevelPattern().IsMatch(l)), "levels", "A level is 1-20 letters, digits, '+' or '-'.")
            .Check(levels.Distinct(StringComparer.Ordinal).Count() == levels.Count, "levels", "Levels must be unique.")
            .Check(rule is not null, "rule", "Give the rule (enabled: false turns it off).");
        if (rule is not null)
        {
            validation
                .Check(rule.WindowDays is > 0 and <= 3650, "rule.windowDays", "A window is 1 to 3650 days.")
                .Check(rule.Currency is not null && await deals.MinorUnitsAsync(rule.Currency) is not null, "rule.currency", $"'{rule.Currency}' is not a currency the server knows.")
                .Check(tiers.Count <= MaxTiers, "rule.tiers", $"At most {MaxTiers} tiers.")
                .Check(rule.Fallback is null || levels.Contains(rule.Fallback), "rule.fallback", "The fallback is one of the levels, or null.");
            for (var i = 0; i < Math.Min(tiers.Count, MaxTiers); i++)
            {
                validation
                    .Check(tiers[i] is not null && levels.Contains(tiers[i].Level), $"rule.tiers[{i}].level", "A tier gives one of the levels.")
                    .Check(tiers[i] is { MinOrders: > 0 and <= 100_000 }, $"rule.tiers[{i}].minOrders", "At least 1 and at most 100000 orders.")
                    .Check(tiers[i] is { MinAverageAmount: >= 0 } t && t.MinAverageAmount <= Amounts.Max, $"rule.tiers[{i}].minAverageAmount",
                        $"An amount between 0 and {Amounts.Max}.");
            }
        }

        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var settings = new LevelSettings(levels, new LevelRule(rule!.Enabled, rule.WindowDays, rule.Currency!,
            tiers.Select(t => new LevelTier(t.Level, t.MinOrders, t.MinAverageAmount)).ToList(), rule.Fallback));
        await catalog.SaveAsync(settings);
        return TypedResults.Ok(ToDto(settings));
    }

    private static async Task<Results<Ok<CustomerDto>, ValidationProblem, ProblemHttpResult>> SetLevel(
        Guid id, SetLevelRequest request, HttpContext http, IGrainFactory grains)
    {
        var validation = new Validation().MaxLength(request.Level, "level", 20).MaxLength(request.Reason, "reason", 500);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var reason = string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim();
        return ApiResults.OkOrProblem((await grains.GetGrain<ICustomerLevels>(id).SetLevel(request.Level, reason, http.User.ToActor())).ToDto());
    }

    private static CustomerLevelsDto ToDto(LevelSettings s) => new(s.Levels, new LevelRuleDto(s.Rule.Enabled, s.Rule.WindowDays, s.Rule.Currency,
        s.Rule.Tiers.Select(t => new LevelTierDto(t.Level, t.MinOrders, t.MinAverageAmount)).ToList(), s.Rule.Fallback));

    [GeneratedRegex("^[A-Za-z0-9+-]{1,20}$")]
    private static partial Regex LevelPattern();
}
