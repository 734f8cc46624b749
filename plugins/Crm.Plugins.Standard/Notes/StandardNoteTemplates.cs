using Crm.Sdk;

namespace Crm.Plugins.Standard.Notes;

/// <summary>The quick-note templates every server ships with.</summary>
public sealed class StandardNoteTemplates : INoteTemplateProvider
{
    public IEnumerable<NoteTemplateDefinition> Templates()
    {
        yield return new NoteTemplateDefinition
        {
            Id = "first-visit",
            Name = "First visit",
            Language = "en",
            Description = "What a rep learns on the first visit to a lead.",
            Fields =
            [
                new NoteFieldDefinition { Key = "met_decision_maker", Label = "Met the decision maker?", Type = NoteFieldType.YesNo, Required = true },
                new NoteFieldDefinition
                {
                    Key = "budget", Label = "Budget range", Type = NoteFieldType.SingleChoice, Required = true,
                    Options = ["under 10k", "10k-50k", "50k-200k", "over 200k", "unknown"],
                },
                new NoteFieldDefinition
                {
                    Key = "next_step", Label = "Next step", Type = NoteFieldType.SingleChoice, Required = true,
                    Options = ["send offer", "second visit", "product demo", "no interest"],
                },
                new NoteFieldDefinition { Key = "remarks", Label = "Remarks", Type = NoteFieldType.Text, Help = "Anything else worth knowing." },
            ],
            Body = """
                First visit. Decision maker {{ if met_decision_maker }}met{{ else }}not met{{ end }}.
                Budget: {{ budget }}. Next step: {{ next_step }}.{{ if remarks }} {{ remarks }}{{ end }}
                """,
        };
    }
}
