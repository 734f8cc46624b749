using Crm.Sdk;

namespace Crm.Plugins.Standard.Notes;

/// <summary>
/// The quick-note templates every server ships with, in English and Chinese: first visit, product demo, price
/// negotiation and after-sales call. A business gets them by importing the pack.
/// </summary>
public sealed class StandardNoteTemplates : INoteTemplateProvider
{
    public IEnumerable<NoteTemplateDefinition> Templates() => EnglishNoteTemplates.All().Concat(ChineseNoteTemplates.All());
}
