using System.Net;
using System.Text.Json;
using Crm.Client;
using Crm.Tests.Deals;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Permissions;

/// <summary>Arrangements for the deal rows of the permission matrix: deals opened by the admin on customers of a unit's rep.</summary>
public static class DealProbes
{
    /// <summary>A fresh open deal on a fresh customer owned by the unit's rep.</summary>
    public static async Task<DealDto> NewDealAsync(WorldUnit unit)
    {
        var customer = await unit.NewOwnedAsync();
        return (await unit.World.Admin.OpenDealAsync(customer.Id, DealKit.Deal(1000m))).EnsureStatus(HttpStatusCode.Created).Value!;
    }

    public static async Task<string> NewPipelineAsync(CrmApi admin) =>
        (await admin.SendAsync<PipelineDto>(HttpMethod.Post, "/api/pipelines", Pipeline())).EnsureStatus(HttpStatusCode.Created).Value!.Id;

    public static PipelineRequest Pipeline() => new($"Matrix {Guid.NewGuid():N}"[..20], null, false, [new("only", new(En: "Only"), 50)]);

    public static async Task<string> NewProductAsync(CrmApi admin) =>
        (await admin.SendAsync<ProductDto>(HttpMethod.Post, "/api/products", Product())).EnsureStatus(HttpStatusCode.Created).Value!.Id;

    public static ProductRequest Product() => new("Matrix product", $"M-{Guid.NewGuid():N}"[..20], null, 10m, "CNY");

    /// <summary>The lose reasons a new server has, so that replacing the list in the matrix changes nothing for other tests.</summary>
    public static LoseReasonsRequest DefaultReasons() => new(
    [
        new("price", new("价格", "Price", "Цена")),
        new("competitor", new("竞争对手", "Competitor chosen", "Выбран конкурент")),
        new("no-budget", new("无预算", "No budget", "Нет бюджета")),
        new("no-decision", new("无决策", "No decision", "Нет решения")),
        new("timing", new("时机不对", "Bad timing", "Неудачное время")),
        new("other", new("其他", "Other", "Другое")),
    ]);

    public static async Task<ApiResponse<JsonElement>> OnNewDealAsync(MatrixCell c, string action, object body)
    {
        var deal = await NewDealAsync(c.Target);
        return await c.Caller.SendAsync<JsonElement>(HttpMethod.Post, $"/api/deals/{deal.Id}/{action}", body);
    }
}
