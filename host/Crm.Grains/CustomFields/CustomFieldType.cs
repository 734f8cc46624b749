namespace Crm.Grains.CustomFields;

/// <summary>What a custom field holds; its wire name is <see cref="CustomFieldNames"/>.</summary>
public enum CustomFieldType
{
    Text = 0,
    Number = 1,
    Date = 2,
    Choice = 3,
    MultiChoice = 4,
}

/// <summary>What a custom field belongs to.</summary>
public enum CustomFieldEntity
{
    Customer = 0,
    Deal = 1,
}

/// <summary>The wire and stored names of the types and entities (stable: they are in the definitions table).</summary>
public static class CustomFieldNames
{
    public static readonly IReadOnlyDictionary<string, CustomFieldType> Types = new Dictionary<string, CustomFieldType>(StringComparer.Ordinal)
    {
        ["text"] = CustomFieldType.Text,
        ["number"] = CustomFieldType.Number,
        ["date"] = CustomFieldType.Date,
        ["choice"] = CustomFieldType.Choice,
        ["multi-choice"] = CustomFieldType.MultiChoice,
    };

    public static readonly IReadOnlyDictionary<string, CustomFieldEntity> Entities = new Dictionary<string, CustomFieldEntity>(StringComparer.Ordinal)
    {
        ["customer"] = CustomFieldEntity.Customer,
        ["deal"] = CustomFieldEntity.Deal,
    };

    public static string Of(CustomFieldType type) => Types.First(t => t.Value == type).Key;

    public static string Of(CustomFieldEntity entity) => entity == CustomFieldEntity.Customer ? "customer" : "deal";
}
