using Crm.Sdk;
using static Crm.Plugins.Standard.Notes.NoteFields;

namespace Crm.Plugins.Standard.Notes;

/// <summary>The Chinese standard templates (the same four visits as the English ones).</summary>
internal static class ChineseNoteTemplates
{
    public static IEnumerable<NoteTemplateDefinition> All() => [FirstVisit, Demo, PriceNegotiation, AfterSalesCall];

    private static NoteTemplateDefinition FirstVisit => new()
    {
        Id = "first-visit-zh",
        Name = "首次拜访",
        Language = "zh",
        Description = "首次拜访线索时了解到的情况。",
        Fields =
        [
            YesNo("met_decision_maker", "是否见到决策人？"),
            Number("budget", "预算（元）", 0, 100_000_000, "不清楚可不填。"),
            Multi("interests", "感兴趣的产品", "CRM", "ERP", "BI", "售后服务"),
            Single("next_step", "下一步", true, "发送报价", "再次拜访", "产品演示", "无意向"),
            NextFollowUpDate("下次跟进日期"),
            Text("remarks", "备注"),
        ],
        Body = """
            首次拜访，{{ if met_decision_maker }}已见到决策人{{ else }}未见到决策人{{ end }}。预算：{{ if budget }}{{ budget }} 元{{ else }}未知{{ end }}。{{ if (interests | array.size) > 0 }}感兴趣：{{ interests | array.join "、" }}。{{ end }}
            下一步：{{ next_step }}。{{ if next_follow_up }}下次跟进：{{ next_follow_up | date.to_string "%Y-%m-%d" }}。{{ end }}{{ if remarks }}{{ remarks }}{{ end }}
            """,
    };

    private static NoteTemplateDefinition Demo => new()
    {
        Id = "demo-zh",
        Name = "产品演示",
        Language = "zh",
        Description = "产品演示的效果和参加人员。",
        Fields =
        [
            Multi("modules", "演示模块", "线索与公海", "跟进记录", "快捷笔记", "报表", "移动端"),
            Single("attendees", "参加人数", true, "1-2人", "3-5人", "6-10人", "10人以上"),
            YesNo("met_decision_maker", "决策人是否参加？"),
            Single("reaction", "客户反馈", true, "非常积极", "积极", "一般", "消极"),
            Number("budget", "预算（元）", 0, 100_000_000),
            NextFollowUpDate("下次跟进日期"),
            Text("concerns", "待解答问题"),
        ],
        Body = """
            产品演示，参加人数 {{ attendees }}{{ if met_decision_maker }}，决策人参加{{ end }}。客户反馈：{{ reaction }}。
            {{ if (modules | array.size) > 0 }}演示：{{ modules | array.join "、" }}。{{ end }}{{ if budget }}预算：{{ budget }} 元。{{ end }}{{ if concerns }}待解答：{{ concerns }}。{{ end }}{{ if next_follow_up }}下次跟进：{{ next_follow_up | date.to_string "%Y-%m-%d" }}。{{ end }}
            """,
    };

    private static NoteTemplateDefinition PriceNegotiation => new()
    {
        Id = "price-negotiation-zh",
        Name = "价格谈判",
        Language = "zh",
        Description = "价格谈判的进展。",
        Fields =
        [
            Number("offered_price", "我方报价（元）", 0, 100_000_000),
            Number("budget", "客户预算（元）", 0, 100_000_000),
            Number("discount", "客户要求折扣（%）", 0, 100),
            Multi("objections", "客户异议", "价格太高", "竞品报价", "付款条件", "合同期限", "实施范围"),
            YesNo("met_decision_maker", "决策人是否在场？"),
            Single("status", "谈判状态", true, "已达成", "接近达成", "差距较大", "停滞"),
            NextFollowUpDate("下次跟进日期"),
        ],
        Body = """
            价格谈判：{{ status }}。{{ if offered_price }}我方报价 {{ offered_price }} 元{{ if budget }}，客户预算 {{ budget }} 元{{ end }}。{{ end }}{{ if discount }}要求折扣 {{ discount }}%。{{ end }}
            {{ if (objections | array.size) > 0 }}异议：{{ objections | array.join "、" }}。{{ end }}{{ if met_decision_maker }}决策人在场。{{ else }}决策人不在场。{{ end }}{{ if next_follow_up }}下次跟进：{{ next_follow_up | date.to_string "%Y-%m-%d" }}。{{ end }}
            """,
    };

    private static NoteTemplateDefinition AfterSalesCall => new()
    {
        Id = "after-sales-call-zh",
        Name = "售后回访",
        Language = "zh",
        Description = "交付后的客户回访。",
        Fields =
        [
            Single("satisfaction", "满意度", true, "非常满意", "满意", "一般", "不满意"),
            Multi("issues", "反馈问题", "安装", "培训", "故障", "性能", "账单"),
            YesNo("issue_resolved", "问题是否当场解决？", required: false),
            YesNo("upsell_interest", "是否有增购意向？"),
            NextFollowUpDate("下次回访日期"),
            Text("remarks", "备注"),
        ],
        Body = """
            售后回访：客户{{ satisfaction }}。{{ if (issues | array.size) > 0 }}反馈问题：{{ issues | array.join "、" }}{{ if issue_resolved }}（已解决）{{ end }}。{{ end }}
            {{ if upsell_interest }}有增购意向。{{ else }}暂无增购意向。{{ end }}{{ if next_follow_up }}下次回访：{{ next_follow_up | date.to_string "%Y-%m-%d" }}。{{ end }}{{ if remarks }}{{ remarks }}{{ end }}
            """,
    };
}
