using Crm.Server.Api.Money;

namespace Crm.Server.Api.Contracts;

/// <summary>Contracts, payments, receivables and the currency rates they are reported with (docs/contracts-and-payments.md).</summary>
public static class ContractsComposition
{
    public static WebApplicationBuilder AddCrmContracts(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ContractQueries>();
        builder.Services.AddSingleton<RateStore>();
        return builder;
    }

    public static IEndpointRouteBuilder MapContractsAndMoneyApi(this IEndpointRouteBuilder app) =>
        app.MapContractsApi().MapReceivablesApi().MapCurrencyApi();
}
