using Crm.Sdk;

namespace CrmPlugin1;

/// <summary>A quick note for a first visit; managers import it with <c>POST /api/note-templates/import</c>.</summary>
public sealed class VisitNoteTemplates : INoteTemplateProvider
{
    public IEnumerable<NoteTemplateDefinition> Templates() =>
    [
        new NoteTemplateDefinition
        {
            Id = "crmplugin1-first-visit",
            Name = "First visit",
            Fields =
            [
                new NoteFieldDefinition { Key = "interest", Label = "Interest", Type = NoteFieldType.SingleChoice, Options = ["low", "medium", "high"], Required = true },
                new NoteFieldDefinition { Key = "next_visit", Label = "Next visit", Type = NoteFieldType.Date, SetsNextFollowUp = true },
            ],
            Body = "First visit: {{ interest }} interest. Next visit {{ next_visit }}.",
        },
    ];
}
