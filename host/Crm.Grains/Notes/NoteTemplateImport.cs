using Crm.Client;
using Crm.Sdk;
using ClientFieldType = Crm.Client.NoteFieldType;
using SdkFieldType = Crm.Sdk.NoteFieldType;

namespace Crm.Grains.Notes;

/// <summary>Turns a plugin's template definition into the request a manager would have written.</summary>
public static class NoteTemplateImport
{
    /// <summary>By convention a plugin's date question keyed <c>next_follow_up</c> sets the customer's next follow-up date.</summary>
    public const string NextFollowUpKey = "next_follow_up";

    public static NoteTemplateRequest ToRequest(NoteTemplateDefinition definition, string? orgUnitId) => new(
        definition.Name,
        definition.Fields.Select(ToField).ToList(),
        definition.Body,
        definition.Id,
        definition.Language,
        definition.Description,
        orgUnitId);

    /// <summary>Whether a saved version already holds what the request would write (an import then changes nothing).</summary>
    public static bool SameContent(NoteTemplateDto saved, NoteTemplateRequest request) =>
        saved.Name == request.Name && saved.Body == request.Body && saved.Language == request.Language
        && saved.Description == request.Description
        && saved.Fields.Count == request.Fields!.Count
        && saved.Fields.Zip(request.Fields).All(p => p.First with { Options = [] } == p.Second with { Options = [] }
                                                     && (p.First.Options ?? []).SequenceEqual(p.Second.Options ?? []));

    private static NoteFieldDto ToField(NoteFieldDefinition field) => new(
        field.Key,
        field.Label,
        field.Type switch
        {
            SdkFieldType.Text => ClientFieldType.Text,
            SdkFieldType.SingleChoice => ClientFieldType.SingleChoice,
            SdkFieldType.MultiChoice => ClientFieldType.MultiChoice,
            SdkFieldType.Number => ClientFieldType.Number,
            SdkFieldType.Date => ClientFieldType.Date,
            SdkFieldType.YesNo => ClientFieldType.YesNo,
            _ => null,
        },
        field.Options.ToList(),
        field.Required,
        field.Min,
        field.Max,
        field.Help,
        field.Type == SdkFieldType.Date && field.Key == NextFollowUpKey);
}
