using System.Text.Json;
using Crm.Client;

namespace Crm.Tests.Notes;

/// <summary>Small builders for templates and answers, so that a test states only what it is about.</summary>
public static class NoteTemplateBuilder
{
    public static NoteFieldDto Choice(string key, params string[] options) => new(key, key, NoteFieldType.SingleChoice, options);

    public static NoteFieldDto Multi(string key, params string[] options) => new(key, key, NoteFieldType.MultiChoice, options);

    public static NoteFieldDto YesNo(string key, bool required = false) => new(key, key, NoteFieldType.YesNo, Required: required);

    public static NoteFieldDto Number(string key, double? min = null, double? max = null) => new(key, key, NoteFieldType.Number, Min: min, Max: max);

    public static NoteFieldDto Date(string key, bool nextFollowUp = false) => new(key, key, NoteFieldType.Date, NextFollowUp: nextFollowUp);

    public static NoteFieldDto Text(string key, bool required = false) => new(key, key, NoteFieldType.Text, Required: required);

    public static NoteTemplateRequest Template(string body, params NoteFieldDto[] fields) => new("Visit", fields, body);

    /// <summary>A visit template with one question of every kind.</summary>
    public static NoteTemplateRequest FirstVisit(string? id = null) => new(
        "First visit",
        [
            new("budget", "Budget range", NoteFieldType.SingleChoice, ["<100k", "100k-500k", ">500k"], Required: true, Help: "Ask for the approved budget"),
            new("met_decision_maker", "Met the decision maker?", NoteFieldType.YesNo, Required: true),
            new("interests", "Products of interest", NoteFieldType.MultiChoice, ["CRM", "ERP", "BI"]),
            new("headcount", "Sales team size", NoteFieldType.Number, Min: 1, Max: 10000),
            new("next_follow_up", "Next follow-up", NoteFieldType.Date, NextFollowUp: true),
            new("remarks", "Remarks", NoteFieldType.Text),
        ],
        """
        Budget: {{ budget }}
        Decision maker met: {{ met_decision_maker ? "yes" : "no" }}
        {{ if interests }}Interested in: {{ interests | array.join ", " }}{{ end }}
        {{ if headcount }}Team of {{ headcount }}{{ end }}
        {{ if next_follow_up }}Next visit: {{ next_follow_up | date.to_string "%Y-%m-%d" }}{{ end }}
        {{ remarks }}
        """,
        id,
        "en");

    public static Dictionary<string, JsonElement> Answers(object answers) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(JsonSerializer.Serialize(answers))!;
}
