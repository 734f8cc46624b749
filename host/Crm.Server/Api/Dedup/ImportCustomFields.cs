using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Crm.Grains.CustomFields;
using Crm.Server.Api.Common;
using Crm.Server.Api.CustomFields;

namespace Crm.Server.Api.Dedup;

/// <summary>A customer custom field and the columns it is read from, in the file's order.</summary>
public sealed record ImportCustomColumn(CustomFieldDefinition Field, IReadOnlyList<string> Headers);

/// <summary>
/// The customer custom fields of an import (<see cref="ColumnMapping"/> finds their columns, from the catalog read once
/// per import): each row's cells are read as values of their field's type the way spreadsheets hold them, then checked
/// as <c>POST /api/customers</c> checks its <c>customFields</c> (bounds, options, the fields needed on create).
/// </summary>
public sealed partial class ImportCustomFields(IReadOnlyList<CustomFieldDefinition> definitions, IReadOnlyList<ImportCustomColumn> columns)
{
    /// <summary>The stage a created customer starts in: the fields required at it are needed on create, as on POST /api/customers.</summary>
    private const string CreatedAtStage = "lead";

    public IReadOnlyList<ImportCustomColumn> Columns { get; } = columns;

    /// <summary>Whether every created customer needs the field: a file without its column has every row rejected.</summary>
    public static bool NeededOnCreate(CustomFieldDefinition field) => field.Required || field.RequiredAtStages.Contains(CreatedAtStage);

    /// <summary>
    /// The row's values as <c>customFields</c> of a create request (null: none). An empty cell gives no value; a cell that
    /// is no value of its field's type is an error of <c>customFields.key</c> in <paramref name="validation"/>, as are
    /// the create request's own checks.
    /// </summary>
    public Dictionary<string, JsonElement>? Read(ImportTable.Row row, Validation validation)
    {
        Dictionary<string, JsonElement>? values = null;
        foreach (var column in Columns)
        {
            if (ImportColumns.FirstFilled(row, column.Headers) is not { } cell)
            {
                continue;
            }

            var (value, error) = Convert(column.Field, cell);
            if (error is null)
            {
                (values ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal))[column.Field.Key] = value;
            }
            else
            {
                validation.Check(false, ColumnMapping.CustomFieldPrefix + column.Field.Key, error);
            }
        }

        // The very check of POST /api/customers, so that both answer alike ("'key' is required.").
        CustomFieldInput.Values(definitions, values, validation, CreatedAtStage);
        return values;
    }

    /// <summary>The cell as the JSON value its field takes, or why it is none.</summary>
    internal static (JsonElement Value, string? Error) Convert(CustomFieldDefinition field, string cell)
    {
        switch (field.Type)
        {
            case CustomFieldType.Number:
                var (number, ambiguous) = Number(cell);
                return number is { } n ? (JsonSerializer.SerializeToElement(n), null)
                    : (default, ambiguous
                        ? $"'{Shown(cell)}' may be a whole number or a decimal one (1,234 is 1234 in English and Chinese files, 1.234 in Russian ones): write it without thousands separators."
                        : $"'{Shown(cell)}' is not a number: write 1234.5, 1,234,567.5 or 1 234 567,5.");
            case CustomFieldType.Date:
                return DateOnly.TryParseExact(ColumnMapping.HalfWidth(cell), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                    ? (JsonSerializer.SerializeToElement(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), null)
                    : (default, $"'{Shown(cell)}' is not a date: write yyyy-MM-dd (or yyyy/M/d, d.M.yyyy, yyyy年M月d日).");
            case CustomFieldType.Choice:
                return Option(field, cell) is { } option
                    ? (JsonSerializer.SerializeToElement(option), null)
                    : (default, $"'{Shown(cell)}' is not one of: {string.Join(", ", field.Options)}.");
            case CustomFieldType.MultiChoice:
                // The whole cell first: an option may hold a comma itself.
                var parts = Option(field, cell) is { } whole ? [whole] : cell.Split(ChoiceSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                var chosen = parts.Select(p => Option(field, p)).ToList();
                return chosen.Count > 0 && chosen.IndexOf(null) < 0
                    ? (JsonSerializer.SerializeToElement(chosen.Distinct().ToList()), null)
                    : (default, $"'{Shown(chosen.Count == 0 ? cell : parts[chosen.IndexOf(null)])}' is not one of: {string.Join(", ", field.Options)} (separate several with ; or ,).");
            default:
                // Text as it is: its length and characters are checked as on create.
                return (JsonSerializer.SerializeToElement(cell), null);
        }
    }

    // Year first (ISO, and the slashes and dots of Chinese spreadsheets), day first with dots (Russian ones) or in Chinese.
    // Slashes with the year last are refused: 03/05/2025 is 5 March in one file and 3 May in another.
    private static readonly string[] DateFormats = ["yyyy-M-d", "yyyy/M/d", "yyyy.M.d", "d.M.yyyy", "yyyy年M月d日"];

    private static readonly char[] ChoiceSeparators = [';', ',', '；', '，', '、', '\n'];

    /// <summary>
    /// A number as spreadsheets write it: 1234.5; thousands separated by commas (1,234,567.5) or spaces, with a decimal
    /// comma or point (1 234 567,5: Russian files); a decimal comma (1234,5). A lone comma before three digits (1,234) is
    /// ambiguous and refused. Then the bounds are the field's own (<see cref="CustomFieldRules"/>).
    /// </summary>
    internal static (decimal? Number, bool Ambiguous) Number(string cell)
    {
        var text = ColumnMapping.HalfWidth(cell).Replace('\u00A0', ' ').Replace('\u202F', ' ').Replace('\u2212', '-');
        if (LoneThousands().IsMatch(text))
        {
            return (null, true);
        }

        string? invariant = null;
        if (Plain().IsMatch(text))
        {
            invariant = text;
        }
        else if (CommaGroups().IsMatch(text))
        {
            invariant = text.Replace(",", "");
        }
        else if (SpaceGroups().IsMatch(text) || CommaDecimal().IsMatch(text))
        {
            invariant = text.Replace(" ", "").Replace(',', '.');
        }

        return (invariant is not null && decimal.TryParse(invariant, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture,
            out var number) ? number : null, false);
    }

    [GeneratedRegex(@"^[-+]?\d+(\.\d+)?$")]
    private static partial Regex Plain();

    [GeneratedRegex(@"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$")]
    private static partial Regex CommaGroups();

    [GeneratedRegex(@"^[-+]?\d{1,3}( \d{3})+([.,]\d+)?$")]
    private static partial Regex SpaceGroups();

    [GeneratedRegex(@"^[-+]?\d+,\d+$")]
    private static partial Regex CommaDecimal();

    [GeneratedRegex(@"^[-+]?\d{1,3},\d{3}$")]
    private static partial Regex LoneThousands();

    /// <summary>The option the text names: as written, else in any case or width when only one option is so.</summary>
    private static string? Option(CustomFieldDefinition field, string text)
    {
        if (field.Options.Contains(text))
        {
            return text;
        }

        var loose = ColumnMapping.HalfWidth(text).Trim();
        var matches = field.Options.Where(o => string.Equals(ColumnMapping.HalfWidth(o), loose, StringComparison.OrdinalIgnoreCase)).Take(2).ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    /// <summary>A cell as an error quotes it: a long one cut.</summary>
    private static string Shown(string cell) => cell.Length <= 60 ? cell : cell[..60] + "…";
}
