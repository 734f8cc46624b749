using Crm.Client;

namespace Crm.Grains.Notes;

/// <summary>Stored template versions to and from the wire types the notes API and the renderer read.</summary>
public static class TemplateWireMapping
{
    public static NoteTemplateDto ToWire(this TemplateVersion v) => new(
        v.Id, v.Version, v.Name, v.Language, v.Description, v.OrgUnitId,
        v.Fields.Select(f => new NoteFieldDto(f.Key, f.Label, Enum.Parse<NoteFieldType>(f.Type), f.Options, f.Required, f.Min, f.Max, f.Help, f.NextFollowUp)).ToList(),
        v.Body, v.Source, v.CreatedAt, v.CreatedBy);

    /// <summary>A validated template version (every field has a key, a label and a type) in the stored types.</summary>
    public static TemplateVersion ToStored(this NoteTemplateDto t) => new(
        t.Id, t.Version, t.Name, t.Language, t.Description, t.OrgUnitId, t.Fields.ToStored(), t.Body, t.Source, t.CreatedAt, t.CreatedBy);

    /// <summary>A validated request (name, fields with key, label and type, body) as the template grain takes it.</summary>
    public static TemplateDraft ToDraft(this NoteTemplateRequest r) =>
        new(r.Name!, r.Language, r.Description, r.OrgUnitId, r.Fields!.ToStored(), r.Body!);

    private static List<TemplateField> ToStored(this IEnumerable<NoteFieldDto> fields) => fields
        .Select(f => new TemplateField(f.Key!, f.Label!, f.Type!.Value.ToString(), f.Options ?? [], f.Required, f.Min, f.Max, f.Help, f.NextFollowUp))
        .ToList();
}
