using System.Globalization;
using System.Text.Json;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.CustomFields;
using Crm.Sdk;

namespace Crm.Grains.Dedup;

/// <summary>
/// The snapshot strategies compare: the identity fields of a customer or lead, its traits (industry, region, language)
/// and its custom field values as text in <see cref="CustomerSnapshot.Fields"/> (see <see cref="FieldsOf(IReadOnlyDictionary{string, CustomValue}?)"/>).
/// </summary>
public static class CustomerCard
{
    /// <summary>How the choices of a multi-choice field are joined in <see cref="CustomerSnapshot.Fields"/> (in the options' order once stored).</summary>
    public const string ChoiceSeparator = ", ";

    public static CustomerSnapshot From(Guid id, NewCustomer request) =>
        From(id, CustomerProfile.From(request), request.PoolId, request.OwnerId, null,
            new LeadTraits(TextInput.TrimOrNull(request.Industry), TextInput.TrimOrNull(request.Region), TextInput.TrimOrNull(request.Language)),
            FieldsOf(request.CustomFieldsJson));

    public static CustomerSnapshot From(CustomerView customer) =>
        From(customer.Id, customer.Profile, customer.PoolId, customer.OwnerId, customer.CreatedAt,
            new LeadTraits(customer.Industry, customer.Region, customer.Language), FieldsOf(customer.CustomFields));

    /// <param name="fields">The custom field values as text (<see cref="FieldsOf(IReadOnlyDictionary{string, CustomValue}?)"/>); null: none.</param>
    public static CustomerSnapshot From(Guid id, CustomerProfile profile, string? poolId, string? ownerId, DateTimeOffset? createdAt,
        LeadTraits? traits = null, IReadOnlyDictionary<string, string>? fields = null) => new()
    {
        Id = id.ToString(),
        Name = profile.Name,
        Company = profile.Company,
        Phone = profile.Phone,
        Email = profile.Email,
        TaxId = profile.TaxId,
        Address = profile.Address,
        Source = profile.Source,
        PoolId = poolId,
        OwnerId = ownerId,
        Industry = traits?.Industry,
        Region = traits?.Region,
        Language = traits?.Language,
        CreatedAt = createdAt,
        Fields = fields ?? LeadCard.NoFields,
    };

    /// <summary>
    /// A stored customer's custom field values as the snapshot carries them: text as it is, a number in invariant plain
    /// form (1500.5), a date yyyy-MM-dd, a multi-choice field's choices joined by <see cref="ChoiceSeparator"/>.
    /// Null when there are none (the caller shares one empty set).
    /// </summary>
    public static IReadOnlyDictionary<string, string>? FieldsOf(IReadOnlyDictionary<string, CustomValue>? values)
    {
        if (values is null || values.Count == 0)
        {
            return null;
        }

        var fields = new Dictionary<string, string>(values.Count, StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            fields[key] = value.Choices is null ? string.Join(ChoiceSeparator, value.Canonical()) : string.Join(ChoiceSeparator, value.Choices);
        }

        return fields;
    }

    /// <summary>
    /// A lead's custom field values, given as JSON texts (a create, check or import request), the way
    /// <see cref="FieldsOf(IReadOnlyDictionary{string, CustomValue}?)"/> writes them once stored: a number in plain
    /// invariant form, a text trimmed, a list's strings joined. No catalog is read: a value of the wrong kind for its
    /// field is the grain's to refuse; a null, a boolean or an object gives no value. Null when there are none.
    /// </summary>
    public static IReadOnlyDictionary<string, string>? FieldsOf(IReadOnlyDictionary<string, string>? json)
    {
        if (json is null || json.Count == 0)
        {
            return null;
        }

        Dictionary<string, string>? fields = null;
        foreach (var (key, text) in json)
        {
            if (TextOf(text) is { } value)
            {
                (fields ??= new Dictionary<string, string>(json.Count, StringComparer.Ordinal))[key] = value;
            }
        }

        return fields;
    }

    private static string? TextOf(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var element = document.RootElement;
            switch (element.ValueKind)
            {
                case JsonValueKind.Number:
                    return element.TryGetDecimal(out var number) ? CustomValue.Plain(number).ToString(CultureInfo.InvariantCulture) : element.GetRawText();
                case JsonValueKind.String:
                    return TextInput.WithoutControls(element.GetString(), multiLine: true)?.Trim() is { Length: > 0 } s ? s : null;
                case JsonValueKind.Array:
                    var choices = element.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).Distinct().ToList();
                    return choices.Count == 0 ? null : string.Join(ChoiceSeparator, choices);
                default:
                    return null;
            }
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
