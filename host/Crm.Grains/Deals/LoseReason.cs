namespace Crm.Grains.Deals;

/// <summary>One reason a deal may be lost for; inactive reasons stay known so that old deals still name them.</summary>
public sealed record LoseReason(string Key, LocalizedText Names, bool Active = true)
{
    /// <summary>The list a new server starts with; admins replace it (<c>PUT /api/deal-lose-reasons</c>).</summary>
    public static readonly IReadOnlyList<LoseReason> Defaults =
    [
        new("price", new("价格", "Price", "Цена")),
        new("competitor", new("竞争对手", "Competitor chosen", "Выбран конкурент")),
        new("no-budget", new("无预算", "No budget", "Нет бюджета")),
        new("no-decision", new("无决策", "No decision", "Нет решения")),
        new("timing", new("时机不对", "Bad timing", "Неудачное время")),
        new("other", new("其他", "Other", "Другое")),
    ];
}
