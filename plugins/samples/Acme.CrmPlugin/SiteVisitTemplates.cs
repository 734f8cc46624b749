using Crm.Sdk;

namespace Acme.CrmPlugin;

/// <summary>Acme's quick note for a visit to a customer's site.</summary>
public sealed class SiteVisitTemplates : INoteTemplateProvider
{
    public IEnumerable<NoteTemplateDefinition> Templates() =>
    [
        new NoteTemplateDefinition
        {
            Id = "acme-site-visit",
            Name = "Site visit",
            Fields =
            [
                new NoteFieldDefinition { Key = "machines", Label = "Machines on site", Type = NoteFieldType.Number, Min = 0, Max = 10_000 },
                new NoteFieldDefinition { Key = "pain_points", Label = "Pain points", Type = NoteFieldType.MultiChoice, Options = ["downtime", "energy cost", "spare parts", "training"] },
                new NoteFieldDefinition { Key = "follow_up_on", Label = "Follow up on", Type = NoteFieldType.Date, SetsNextFollowUp = true },
            ],
            Body = "Site visit: {{ machines }} machines. Pain points: {{ pain_points | array.join ', ' }}. Follow up on {{ follow_up_on }}.",
        },
    ];
}
