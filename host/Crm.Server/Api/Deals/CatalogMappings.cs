using Crm.Client;
using Crm.Grains.Deals;

namespace Crm.Server.Api.Deals;

/// <summary>The deals' catalogue and records as the API shows them, and back.</summary>
public static class CatalogMappings
{
    public static LocalizedName ToClient(LocalizedText t) => new(t.Zh, t.En, t.Ru);

    public static LocalizedText ToGrains(LocalizedName n) => new(Trim(n.Zh), Trim(n.En), Trim(n.Ru));

    public static PipelineDto ToDto(Pipeline p) => new(p.Id, p.Name, p.OrgUnitId, p.IsDefault,
        p.Stages.Select(s => new PipelineStageDto(s.Key, ToClient(s.Names), s.Probability)).ToList(), p.CreatedAt, p.UpdatedAt);

    public static LoseReasonDto ToDto(LoseReason r) => new(r.Key, ToClient(r.Names), r.Active);

    public static DealDto ToDto(Guid customerId, DealRecord d, IReadOnlyList<DealLineDto>? lines = null) => new(d.Id, customerId, d.Title, d.Amount,
        d.Currency, d.RepId, d.PipelineId, d.StageKey, d.Probability, (Client.DealStatus)d.Status, d.ExpectedClose, d.CreatedAt, d.UpdatedAt,
        d.ClosedAt, d.LoseReason, lines, Grains.CustomFields.CustomFieldRules.ToJson(d.CustomFields));

    private static string? Trim(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
