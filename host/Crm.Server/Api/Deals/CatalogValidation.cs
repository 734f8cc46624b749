using System.Text.RegularExpressions;
using Crm.Client;
using Crm.Server.Api.Common;

namespace Crm.Server.Api.Deals;

/// <summary>Field checks shared by the catalogue's admin routes: keys, names in three languages.</summary>
public static partial class CatalogValidation
{
    public const int MaxStages = 30;
    public const int MaxReasons = 50;

    public static bool IsKey(string? key) => key is not null && KeyPattern().IsMatch(key);

    public static Validation Names(this Validation validation, LocalizedName? names, string field) =>
        validation
            .Check(names is not null && new[] { names.Zh, names.En, names.Ru }.Any(n => !string.IsNullOrWhiteSpace(n)), field, "Give at least one name (zh, en or ru).")
            .MaxLength(names?.Zh, $"{field}.zh", 100)
            .MaxLength(names?.En, $"{field}.en", 100)
            .MaxLength(names?.Ru, $"{field}.ru", 100);

    public static Validation Pipeline(PipelineRequest request)
    {
        var validation = new Validation().Require(request.Name, "name", 100).MaxLength(request.OrgUnitId, "orgUnitId", 64)
            .Check(request.Stages is { Count: > 0 and <= MaxStages }, "stages", $"Give 1 to {MaxStages} stages.");
        var stages = request.Stages ?? [];
        for (var i = 0; i < Math.Min(stages.Count, MaxStages); i++)
        {
            var stage = stages[i];
            validation
                .Check(stage is not null && IsKey(stage.Key), $"stages[{i}].key", "A key is 1-40 characters: lower-case letters, digits and '-'.")
                .Names(stage?.Names, $"stages[{i}].names")
                .Check(stage is not null && stage.Probability is >= 0 and <= 100, $"stages[{i}].probability", "A probability is between 0 and 100.");
        }

        var keys = stages.Where(s => s?.Key is not null).Select(s => s.Key).ToList();
        return validation.Check(keys.Distinct(StringComparer.Ordinal).Count() == keys.Count, "stages", "Stage keys must be unique.");
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex KeyPattern();
}
