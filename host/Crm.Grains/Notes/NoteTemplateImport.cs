using Crm.Client;
using Crm.Sdk;
using ClientFieldType = Crm.Client.NoteFieldType;
using SdkFieldType = Crm.Sdk.NoteFieldType;

namespace Crm.Grains.Notes;

/// <summary>Turns a plugin's template definition into the request a manager would have written.</summary>
public static class NoteTemplateImport
{
    /// <summary>
    /// Before <see cref="NoteFieldDefinition.SetsNextFollowUp"/> existed, a plugin's date question keyed
    /// <c>next_follow_up</c> set the customer's next follow-up date. Templates of such plugins (and the versions they saved)
    /// keep working: the key still counts when no question of the template sets the flag.
    /// </summary>
    public const string LegacyNextFollowUpKey = "next_follow_up";

    /// <summary>
    /// Why a plugin's template cannot be read at all (its field list, a field or a field's options null: what the SDK's
    /// types promise but a plugin's code can still hand over), or null. The template rules check the rest.
    /// </summary>
    public static string? Unreadable(NoteTemplateDefinition definition)
    {
        if (definition.Fields is null)
        {
            return "The plugin's template has no field list (Fields is null).";
        }

        for (var i = 0; i < definition.Fields.Count; i++)
        {
            if (definition.Fields[i] is not { } field)
            {
                return $"Field {i + 1} of the plugin's template is null.";
            }

            if (field.Options is null)
            {
                return $"Field '{field.Key}' of the plugin's template has no option list (Options is null; leave it out for none).";
            }
        }

        return null;
    }

    public static NoteTemplateRequest ToRequest(NoteTemplateDefinition definition, string? orgUnitId) => new(
        definition.Name,
        definition.Fields.Select(f => ToField(f, SetsNextFollowUp(definition, f))).ToList(),
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

    /// <summary>Whether a question's answer becomes the next follow-up date: its flag, else the old key convention.</summary>
    public static bool SetsNextFollowUp(NoteTemplateDefinition template, NoteFieldDefinition field) =>
        field.SetsNextFollowUp
        || (field.Type == SdkFieldType.Date && field.Key == LegacyNextFollowUpKey && !template.Fields.Any(f => f.SetsNextFollowUp));

    /// <summary>
    /// The SDK's field type as the wire contract's. The two enums are one list kept in two packages (the SDK depends on
    /// nothing, the client not on the SDK), mapped here by name; a test keeps their names equal. An unknown value maps to
    /// null, which the template rules refuse.
    /// </summary>
    public static ClientFieldType? ToClient(SdkFieldType type) =>
        Enum.TryParse<ClientFieldType>(type.ToString(), ignoreCase: false, out var mapped) && Enum.IsDefined(mapped) ? mapped : null;

    private static NoteFieldDto ToField(NoteFieldDefinition field, bool setsNextFollowUp) => new(
        field.Key,
        field.Label,
        ToClient(field.Type),
        field.Options.ToList(),
        field.Required,
        field.Min,
        field.Max,
        field.Help,
        setsNextFollowUp);
}
