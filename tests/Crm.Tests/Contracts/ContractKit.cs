using System.Net;
using Crm.Client;
using Crm.Tests.Deals;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Contracts;

/// <summary>The contract, payment and currency routes as the tests drive them.</summary>
public static class ContractKit
{
    /// <summary>A signing date long past, so that the server's own clock never makes a test's dates "in the future".</summary>
    public static readonly DateTimeOffset SignedAt = new(2020, 1, 10, 3, 0, 0, TimeSpan.Zero);

    /// <summary>Three instalments: 30 000 due 2020-02-10, 50 000 due 2020-03-10 and 38 500 due 2049-06-30 (118 500 in all).</summary>
    public static IReadOnlyList<InstalmentRequest> ThreeInstalments() =>
    [
        new(new DateOnly(2020, 3, 10), 50_000m),
        new(new DateOnly(2020, 2, 10), 30_000m),
        new(new DateOnly(2049, 6, 30), 38_500m),
    ];

    public static string NewNumber() => $"HT-{Guid.NewGuid():N}"[..18].ToUpperInvariant();

    public static CreateContractRequest Contract(decimal amount = 118_500m, IReadOnlyList<InstalmentRequest>? plan = null, string? number = null) =>
        new(number ?? NewNumber(), amount, SignedAt, plan ?? ThreeInstalments());

    public static Task<ApiResponse<ContractDto>> SignAsync(this CrmApi api, string dealId, CreateContractRequest request, IReadOnlyDictionary<string, string>? headers = null) =>
        api.SendAsync<ContractDto>(HttpMethod.Post, $"/api/deals/{dealId}/contract", request, headers);

    public static Task<ApiResponse<PaymentDto>> PayAsync(this CrmApi api, string contractId, decimal amount, string? reason = null,
        string method = "bank-transfer", IReadOnlyDictionary<string, string>? headers = null) =>
        api.SendAsync<PaymentDto>(HttpMethod.Post, $"/api/contracts/{contractId}/payments",
            new PaymentRequest(amount, SignedAt.AddDays(30), method, $"BANK-{Guid.NewGuid():N}"[..16], reason), headers);

    public static Task<ApiResponse<ContractDto>> GetContractAsync(this CrmApi api, string contractId) =>
        api.SendAsync<ContractDto>(HttpMethod.Get, $"/api/contracts/{contractId}");

    public static Task<ApiResponse<ReceivablesPage>> ReceivablesAsync(this CrmApi api, string query) =>
        api.SendAsync<ReceivablesPage>(HttpMethod.Get, $"/api/receivables?pageSize=500&{query}");

    /// <summary>A customer of rep A with a won deal of <paramref name="amount"/> (won by the rep).</summary>
    public static async Task<(CustomerDto Customer, DealDto Deal)> WonDealAsync(this TestWorld world, decimal amount = 118_500m, string currency = "CNY")
    {
        var customer = await world.OwnedLeadAsync("Wang Fang");
        var deal = (await world.RepA.OpenDealAsync(customer.Id, DealKit.Deal(amount, currency))).EnsureStatus(HttpStatusCode.Created).Value!;
        (await world.RepA.WinAsync(deal.Id)).EnsureStatus(HttpStatusCode.OK);
        return (customer, deal);
    }
}
