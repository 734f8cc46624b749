using Crm.Sdk;
using static Crm.Plugins.Standard.Notes.NoteFields;

namespace Crm.Plugins.Standard.Notes;

/// <summary>The English standard templates.</summary>
internal static class EnglishNoteTemplates
{
    public static IEnumerable<NoteTemplateDefinition> All() => [FirstVisit, Demo, PriceNegotiation, AfterSalesCall];

    private static NoteTemplateDefinition FirstVisit => new()
    {
        Id = "first-visit",
        Name = "First visit",
        Language = "en",
        Description = "What a rep learns on the first visit to a lead.",
        Fields =
        [
            YesNo("met_decision_maker", "Met the decision maker?"),
            Number("budget", "Budget (CNY)", 0, 100_000_000, "Leave empty when unknown."),
            Multi("interests", "Interested in", "CRM", "ERP", "BI", "Support services"),
            Single("next_step", "Next step", true, "send offer", "second visit", "product demo", "no interest"),
            NextFollowUpDate("Next follow-up"),
            Text("remarks", "Remarks", "Anything else worth knowing."),
        ],
        Body = """
            First visit. Decision maker {{ if met_decision_maker }}met{{ else }}not met{{ end }}.
            Budget: {{ if budget }}{{ budget }} CNY{{ else }}unknown{{ end }}.{{ if (interests | array.size) > 0 }} Interested in: {{ interests | array.join ", " }}.{{ end }}
            Next step: {{ next_step }}.{{ if next_follow_up }} Follow up on {{ next_follow_up | date.to_string "%Y-%m-%d" }}.{{ end }}{{ if remarks }} {{ remarks }}{{ end }}
            """,
    };

    private static NoteTemplateDefinition Demo => new()
    {
        Id = "demo",
        Name = "Product demo",
        Language = "en",
        Description = "How a product demo went and who took part.",
        Fields =
        [
            Multi("modules", "Modules shown", "Leads and pools", "Follow-ups", "Quick notes", "Reports", "Mobile app"),
            Single("attendees", "Attendees", true, "1-2", "3-5", "6-10", "more than 10"),
            YesNo("met_decision_maker", "Decision maker attended?"),
            Single("reaction", "Overall reaction", true, "very positive", "positive", "neutral", "negative"),
            Number("budget", "Budget (CNY)", 0, 100_000_000),
            NextFollowUpDate("Next follow-up"),
            Text("concerns", "Open questions"),
        ],
        Body = """
            Product demo for {{ attendees }} attendees{{ if met_decision_maker }}, decision maker present{{ end }}. Reaction: {{ reaction }}.
            {{ if (modules | array.size) > 0 }}Shown: {{ modules | array.join ", " }}. {{ end }}{{ if budget }}Budget: {{ budget }} CNY. {{ end }}{{ if concerns }}Open questions: {{ concerns }}. {{ end }}{{ if next_follow_up }}Follow up on {{ next_follow_up | date.to_string "%Y-%m-%d" }}.{{ end }}
            """,
    };

    private static NoteTemplateDefinition PriceNegotiation => new()
    {
        Id = "price-negotiation",
        Name = "Price negotiation",
        Language = "en",
        Description = "Where a price negotiation stands.",
        Fields =
        [
            Number("offered_price", "Our offer (CNY)", 0, 100_000_000),
            Number("budget", "Customer's budget (CNY)", 0, 100_000_000),
            Number("discount", "Discount asked (%)", 0, 100),
            Multi("objections", "Objections", "price too high", "competitor offer", "payment terms", "contract length", "scope"),
            YesNo("met_decision_maker", "Decision maker at the table?"),
            Single("status", "Status", true, "agreed", "close to agreement", "far apart", "stalled"),
            NextFollowUpDate("Next follow-up"),
        ],
        Body = """
            Price negotiation: {{ status }}.{{ if offered_price }} Our offer {{ offered_price }} CNY{{ if budget }} against a budget of {{ budget }} CNY{{ end }}.{{ end }}{{ if discount }} Discount asked: {{ discount }}%.{{ end }}
            {{ if (objections | array.size) > 0 }}Objections: {{ objections | array.join ", " }}. {{ end }}Decision maker {{ if met_decision_maker }}at the table{{ else }}not at the table{{ end }}.{{ if next_follow_up }} Follow up on {{ next_follow_up | date.to_string "%Y-%m-%d" }}.{{ end }}
            """,
    };

    private static NoteTemplateDefinition AfterSalesCall => new()
    {
        Id = "after-sales-call",
        Name = "After-sales call",
        Language = "en",
        Description = "A call to a customer after delivery.",
        Fields =
        [
            Single("satisfaction", "Satisfaction", true, "very satisfied", "satisfied", "neutral", "unsatisfied"),
            Multi("issues", "Issues raised", "installation", "training", "bugs", "performance", "billing"),
            YesNo("issue_resolved", "Issues resolved on the call?", required: false),
            YesNo("upsell_interest", "Interest in more products?"),
            NextFollowUpDate("Next follow-up"),
            Text("remarks", "Remarks"),
        ],
        Body = """
            After-sales call: customer {{ satisfaction }}.{{ if (issues | array.size) > 0 }} Issues: {{ issues | array.join ", " }}{{ if issue_resolved }} (resolved){{ end }}.{{ end }}
            {{ if upsell_interest }}Interested in more products.{{ else }}No interest in more products.{{ end }}{{ if next_follow_up }} Follow up on {{ next_follow_up | date.to_string "%Y-%m-%d" }}.{{ end }}{{ if remarks }} {{ remarks }}{{ end }}
            """,
    };
}
