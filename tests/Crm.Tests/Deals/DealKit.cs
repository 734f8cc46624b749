using System.Net;
using System.Text.Json;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Deals;

/// <summary>The deal routes as the tests drive them.</summary>
public static class DealKit
{
    public static Task<ApiResponse<DealDto>> OpenDealAsync(this CrmApi api, Guid customerId, CreateDealRequest request) =>
        api.SendAsync<DealDto>(HttpMethod.Post, $"/api/customers/{customerId}/deals", request);

    public static CreateDealRequest Deal(decimal? amount = 120_000m, string currency = "CNY", string? pipelineId = null, string? stageKey = null,
        IReadOnlyList<DealLineRequest>? lines = null, string? repId = null) =>
        new("ERP rollout", amount, currency, new DateOnly(2026, 6, 30), pipelineId, stageKey, null, lines, repId);

    public static Task<ApiResponse<DealDto>> MoveAsync(this CrmApi api, string dealId, string stageKey, string? reason = null) =>
        api.SendAsync<DealDto>(HttpMethod.Post, $"/api/deals/{dealId}/stage", new DealStageRequest(stageKey, reason));

    public static Task<ApiResponse<DealDto>> WinAsync(this CrmApi api, string dealId, decimal? amount = null) =>
        api.SendAsync<DealDto>(HttpMethod.Post, $"/api/deals/{dealId}/win", new WinDealRequest(amount));

    public static Task<ApiResponse<DealDto>> LoseAsync(this CrmApi api, string dealId, string reason, string? competitor = null) =>
        api.SendAsync<DealDto>(HttpMethod.Post, $"/api/deals/{dealId}/lose", new LoseDealRequest(reason, competitor));

    public static Task<ApiResponse<DealDto>> AttemptAsync(this CrmApi api, string dealId, AttemptKind kind, AttemptOutcome outcome, string? reason = null) =>
        api.SendAsync<DealDto>(HttpMethod.Post, $"/api/deals/{dealId}/attempts", new DealAttemptRequest(kind, outcome, reason));

    public static Task<ApiResponse<Page<DealDto>>> ListDealsAsync(this CrmApi api, string query = "") =>
        api.SendAsync<Page<DealDto>>(HttpMethod.Get, $"/api/deals?pageSize=500&{query}");

    /// <summary>A company pipeline of the unit: 初步沟通 10% → 确定意向 30% → 商务洽谈 60% → 签约 100%, with fresh keys.</summary>
    public static async Task<PipelineDto> CustomPipelineAsync(this TestWorld world) =>
        (await world.Admin.SendAsync<PipelineDto>(HttpMethod.Post, "/api/pipelines", new PipelineRequest($"Projects {Guid.NewGuid():N}"[..20], world.OrgUnitId, false,
        [
            new("first-contact", new("初步沟通", "First contact", "Первый контакт"), 10),
            new("intent", new("确定意向", "Intent", "Интерес"), 30),
            new("negotiation", new("商务洽谈", "Negotiation", "Переговоры"), 60),
            new("signing", new("签约", "Signing", "Подписание"), 100),
        ]))).EnsureStatus(HttpStatusCode.Created).Value!;

    public static async Task<CustomerDto> OwnedLeadAsync(this TestWorld world, string name = "Zhang Min") =>
        (await world.Admin.CreateCustomerAsync(new CreateCustomerRequest($"{name} {Guid.NewGuid():N}"[..24], "Hangzhou Xinda Co., Ltd.",
            PoolId: world.PoolId, OwnerId: world.RepA.UserId))).EnsureStatus(HttpStatusCode.Created).Value!;

    public static IReadOnlyList<string> Kinds(IEnumerable<TimelineEntryDto> entries) => entries.Select(e => e.Kind).ToList();

    public static string? FirstError<T>(this ApiResponse<T> response, string field) =>
        response.Problem is { } p && p.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out var messages)
            ? messages.EnumerateArray().First().GetString()
            : null;

    public static JsonElement Json(object value) => JsonSerializer.SerializeToElement(value, CrmApi.Json);
}
