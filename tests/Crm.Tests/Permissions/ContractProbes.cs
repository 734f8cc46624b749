using System.Net;
using Crm.Client;
using Crm.Tests.Contracts;
using Crm.Tests.Deals;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Permissions;

/// <summary>Arrangements for the contract rows of the permission matrix: won deals and contracts made by the admin on customers of a unit's rep.</summary>
public static class ContractProbes
{
    public static async Task<DealDto> WonDealAsync(WorldUnit unit)
    {
        var deal = await DealProbes.NewDealAsync(unit);
        (await unit.World.Admin.WinAsync(deal.Id)).EnsureStatus(HttpStatusCode.OK);
        return deal;
    }

    public static CreateContractRequest Contract() => ContractKit.Contract(1000m, [new(new DateOnly(2020, 2, 1), 1000m)]);

    /// <summary>A fresh contract of 1 000 CNY, one instalment, on a won deal of a customer owned by the unit's rep.</summary>
    public static async Task<ContractDto> NewContractAsync(WorldUnit unit) =>
        (await unit.World.Admin.SignAsync((await WonDealAsync(unit)).Id, Contract())).EnsureStatus(HttpStatusCode.Created).Value!;

    public static PaymentRequest Payment() => new(1m, ContractKit.SignedAt.AddDays(1), "cash");

    public static CurrencyRatesRequest Rates() => new([new("SGD", new DateOnly(2030, 1, 1), 5.3m)]);
}
