using System.Text.Json;
using Crm.Client;
using Crm.Grains.CustomFields;
using Crm.Server.Api.Common;
using Crm.Server.Api.Deals;

namespace Crm.Server.Api.CustomFields;

/// <summary>Checks of definitions (admins' bodies) and of values given on cards, with every field error at once.</summary>
public static class CustomFieldInput
{
    /// <summary>A definition's body. On a change (<paramref name="existing"/>), entity, key and type stay as they were.</summary>
    public static Validation Definition(CustomFieldRequest request, CustomFieldDefinition? existing, int countOfEntity)
    {
        var type = existing?.Type ?? (request.Type is not null && CustomFieldNames.Types.TryGetValue(request.Type, out var t) ? t : (CustomFieldType?)null);
        var options = request.Options ?? [];
        var stages = request.RequiredAtStages ?? [];
        var validation = new Validation();
        if (existing is null)
        {
            validation
                .Check(request.Entity is not null && CustomFieldNames.Entities.ContainsKey(request.Entity), "entity", "Must be one of: customer, deal.")
                .Check(CatalogValidation.IsKey(request.Key), "key", "A key is 1-40 characters: lower-case letters, digits and '-'.")
                .Check(type is not null, "type", "Must be one of: text, number, date, choice, multi-choice.")
                .Check(countOfEntity < CustomFieldRules.MaxFieldsPerEntity, "entity", $"At most {CustomFieldRules.MaxFieldsPerEntity} fields per kind of card.");
        }
        else
        {
            validation.Check(request.Type is null || request.Type == CustomFieldNames.Of(existing.Type), "type", "A field's type cannot change; add another field.");
        }

        validation.Names(request.Label, "label")
            .Check(options.Count <= CustomFieldRules.MaxOptions, "options", $"At most {CustomFieldRules.MaxOptions} options.")
            .Check(stages.Count <= CustomFieldRules.MaxStages, "requiredAtStages", $"At most {CustomFieldRules.MaxStages} stages.");
        if (type is CustomFieldType.Choice or CustomFieldType.MultiChoice)
        {
            validation.Check(options.Count > 0, "options", "A choice field needs its options.");
        }
        else
        {
            validation.Check(options.Count == 0, "options", "Only choice fields have options.");
        }

        for (var i = 0; i < Math.Min(options.Count, CustomFieldRules.MaxOptions); i++)
        {
            validation.Check(!string.IsNullOrWhiteSpace(options[i]) && options[i].Length <= CustomFieldRules.MaxOptionLength && options[i] == options[i].Trim(),
                $"options[{i}]", $"An option is 1 to {CustomFieldRules.MaxOptionLength} characters, without surrounding spaces.");
        }

        for (var i = 0; i < Math.Min(stages.Count, CustomFieldRules.MaxStages); i++)
        {
            validation.Check(CatalogValidation.IsKey(stages[i]), $"requiredAtStages[{i}]", "A stage key is 1-40 characters: lower-case letters, digits and '-'.");
        }

        return validation
            .Check(options.Distinct(StringComparer.Ordinal).Count() == options.Count, "options", "Options must be unique.")
            .Check(stages.Distinct(StringComparer.Ordinal).Count() == stages.Count, "requiredAtStages", "Stages must be unique.");
    }

    /// <summary>
    /// Reads card values against the definitions into <paramref name="validation"/>; on create, <paramref name="createdAtStage"/>
    /// also checks the required fields (and those required at the stage the card starts in).
    /// </summary>
    public static Dictionary<string, CustomValue?> Values(IReadOnlyList<CustomFieldDefinition> fields, IReadOnlyDictionary<string, JsonElement>? input,
        Validation validation, string? createdAtStage = null)
    {
        var values = CustomFieldRules.Read(fields, input, (field, message) => validation.Check(false, field, message));
        if (createdAtStage is not null && validation.IsValid)
        {
            var card = values.Where(v => v.Value is not null).ToDictionary(v => v.Key, v => v.Value!);
            foreach (var missing in CustomFieldRules.Missing(fields, card, createdAtStage, checkRequired: true))
            {
                validation.Check(false, $"customFields.{missing}", $"'{missing}' is required.");
            }
        }

        return values;
    }

    public static CustomFieldDto ToDto(CustomFieldDefinition d) => new(CustomFieldNames.Of(d.Entity), d.Key, CatalogMappings.ToClient(d.Label),
        CustomFieldNames.Of(d.Type), d.Required, d.Options, d.RequiredAtStages, d.CreatedAt, d.UpdatedAt);
}
