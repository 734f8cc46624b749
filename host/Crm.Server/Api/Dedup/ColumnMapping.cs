using System.Text;
using Crm.Grains.Common;
using Crm.Grains.CustomFields;

namespace Crm.Server.Api.Dedup;

/// <summary>
/// Which columns of an import feed which customer field. Columns are recognised by common English, Chinese and
/// Russian headers, compared normalised (<see cref="Normalize"/>); an explicit mapping (field -> header) given with
/// the request wins. Several columns may feed one field (手机 and 电话): a row takes the first of them it fills.
/// </summary>
public static class ColumnMapping
{
    public static readonly string[] Fields = ["name", "company", "phone", "email", "taxId", "address", "source"];

    // Not aliases, on purpose: 负责人 is the owning rep in Chinese CRM exports, not the contact; 联系方式 ("contact") holds
    // WeChat ids and e-mails as often as phones, which would reject rows as bad phones.

    /// <summary>
    /// "客户名称" (customer name) is the company in Chinese B2B CRMs, the contact's name beside another company column.
    /// </summary>
    private const string CustomerName = "客户名称";

    private static readonly Dictionary<string, HashSet<string>> Known = new Dictionary<string, string[]>
    {
        ["name"] = ["name", "contact", "contact name", "full name", "contact person", "联系人", "姓名", "联系人姓名", "客户姓名", "контакт", "имя", "фио",
            "контактное лицо", "полное имя", "полное имя контакта"],
        ["company"] = ["company", "company name", "organization", "公司", "公司名称", "企业名称", "单位名称", "компания", "организация", "наименование",
            "наименование организации", "контрагент", "название компании", "наименование компании"],
        // Bitrix24 and amoCRM exports name their phone and e-mail columns by kind (рабочий, мобильный, частный...).
        ["phone"] = ["phone", "mobile", "tel", "telephone", "phone number", "mobile phone", "work phone", "business phone", "cell phone",
            "mobile number", "contact number", "phone 1", "telephone number",
            "手机", "手机号", "手机号码", "手机号码1", "移动电话", "电话", "电话号码", "联系电话", "联系电话号码", "联系人电话", "座机", "固定电话", "办公电话",
            "телефон", "мобильный телефон", "мобильный", "телефон мобильный", "рабочий телефон", "телефон рабочий", "сотовый телефон", "сотовый",
            "домашний телефон", "другой телефон", "тел", "тел.", "телефон 1", "номер телефона", "контактный телефон"],
        ["email"] = ["email", "e-mail", "mail", "email address", "e-mail address", "work email", "email地址", "e-mail地址", "邮箱", "电子邮箱", "电子邮件", "邮件",
            "почта", "эл. почта", "электронная почта", "рабочий e-mail", "рабочий email", "частный e-mail", "личный e-mail", "личный email",
            "другой e-mail", "эл.почта", "эл. адрес", "e-mail адрес", "email адрес", "адрес электронной почты"],
        ["taxId"] = ["taxid", "tax id", "tax number", "vat", "uscc", "credit code", "统一社会信用代码", "信用代码", "税号", "纳税人识别号", "инн", "инн организации"],
        ["address"] = ["address", "street address", "mailing address", "office address", "business address", "company address",
            "地址", "公司地址", "详细地址", "注册地址", "联系地址", "通讯地址", "办公地址", "收货地址",
            "адрес", "юридический адрес", "фактический адрес", "почтовый адрес", "адрес офиса"],
        ["source"] = ["source", "lead source", "来源", "线索来源", "客户来源", "来源渠道", "渠道", "источник", "источник лида", "источник клиента"],
    }.ToDictionary(kv => kv.Key, kv => kv.Value.Select(Normalize).ToHashSet());

    // A contact's name split over columns (Фамилия, Имя, Отчество; Last name, First name; 姓, 名): joined when the file
    // has no whole-name column. With a surname column beside it, Имя is the given name, not the whole name.
    private static readonly HashSet<string> LastName = ["фамилия", "last name", "surname", "family name", "姓"];
    private static readonly HashSet<string> FirstName = ["first name", "given name", "名"];
    private static readonly HashSet<string> MiddleName = ["отчество", "middle name"];

    /// <summary>
    /// A header as compared: invisible format characters (a zero-width space, a byte-order mark, direction marks) dropped,
    /// full-width forms made half-width (Chinese input methods), required-column stars and a trailing colon dropped,
    /// whitespace trimmed and collapsed, lower case.
    /// </summary>
    public static string Normalize(string header)
    {
        var words = HalfWidth(TextInput.WithoutFormatCharacters(header)!).Trim().Trim('*').TrimEnd(':').Trim('*').Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', words).ToLowerInvariant();
    }

    /// <summary>The text with full-width forms (ＡＢＣ１２３，：) and the ideographic space made half-width, as Chinese input methods type them.</summary>
    public static string HalfWidth(string text)
    {
        var halfWidth = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            halfWidth.Append(c switch
            {
                >= '\uFF01' and <= '\uFF5E' => (char)(c - 0xFEE0),
                '\u3000' => ' ',
                _ => c,
            });
        }

        return halfWidth.ToString();
    }

    /// <summary>Whether a header names a field (a title row above the header names none).</summary>
    public static bool IsKnown(string header) => Normalize(header) is var name && (name == CustomerName || Known.Values.Any(names => names.Contains(name))
        || LastName.Contains(name) || FirstName.Contains(name) || MiddleName.Contains(name));

    /// <summary>
    /// Field -> columns; errors name the fields whose explicit header is not in the file. <paramref name="customFields"/>
    /// are the customer custom fields (<see cref="ImportCustomFields"/>): a column no standard field takes feeds the one
    /// whose key or label it is, and <paramref name="explicitMap"/> may name their keys (or <c>customFields.key</c>).
    /// </summary>
    public static (ImportColumns Columns, Dictionary<string, string[]> Errors) Resolve(IReadOnlyList<string> headers, IReadOnlyDictionary<string, string>? explicitMap,
        IReadOnlyList<CustomFieldDefinition>? customFields = null)
    {
        var map = new Dictionary<string, IReadOnlyList<string>>();
        var errors = new Dictionary<string, string[]>();
        foreach (var field in Fields)
        {
            if (explicitMap?.GetValueOrDefault(field) is { } header)
            {
                if (headers.Contains(header))
                {
                    map[field] = [header];
                }
                else
                {
                    errors[$"mapping.{field}"] = [$"The file has no column '{header}'."];
                }

                continue;
            }

            var found = headers.Where(h => Known[field].Contains(Normalize(h))).ToList();
            if (found.Count > 0)
            {
                map[field] = found;
            }
        }

        // A field mapped explicitly, or 客户名称 mapped explicitly, keeps that mapping.
        if (headers.FirstOrDefault(h => Normalize(h) == CustomerName) is { } customerName && explicitMap?.Values.Contains(customerName) != true)
        {
            var field = map.ContainsKey("company") ? "name" : "company";
            if (explicitMap?.ContainsKey(field) != true)
            {
                map[field] = headers.Where(h => h == customerName || map.GetValueOrDefault(field)?.Contains(h) == true).ToList();
            }
        }

        var parts = explicitMap?.ContainsKey("name") == true ? null : NamePartsOf(headers, map);
        var custom = ResolveCustom(headers, explicitMap, customFields ?? [], map, errors);
        if (!map.ContainsKey("name") && !map.ContainsKey("company") && parts is null)
        {
            errors["mapping.name"] = ["No column gives the customer's name or company; map one."];
        }

        var used = map.Values.SelectMany(h => h).Concat(custom?.Columns.SelectMany(c => c.Headers) ?? [])
            .Concat(parts is null ? [] : parts.Last.Concat(parts.First).Concat(parts.Middle)).ToHashSet();
        return (new ImportColumns(map, custom, parts) { Ignored = headers.Where(h => !used.Contains(h) && !string.IsNullOrWhiteSpace(h)).Distinct().ToList() }, errors);
    }

    /// <summary>The columns of a split name, if the file has any; Имя moves from the whole name to the parts beside a surname.</summary>
    private static NameParts? NamePartsOf(IReadOnlyList<string> headers, Dictionary<string, IReadOnlyList<string>> map)
    {
        List<string> Columns(HashSet<string> names) => headers.Where(h => names.Contains(Normalize(h))).ToList();
        var (last, first, middle) = (Columns(LastName), Columns(FirstName), Columns(MiddleName));
        if (last.Count == 0 && first.Count == 0)
        {
            return null;
        }

        if (last.Count > 0 && map.TryGetValue("name", out var names) && names.Where(h => Normalize(h) == "имя").ToList() is { Count: > 0 } givenNames)
        {
            first.AddRange(givenNames);
            var whole = names.Except(givenNames).ToList();
            if (whole.Count > 0)
            {
                map["name"] = whole;
            }
            else
            {
                map.Remove("name");
            }
        }

        return new NameParts(last, first, middle, SurnameFirst: last.Any(h => Normalize(h) is "фамилия" or "姓"));
    }

    /// <summary>
    /// The custom field columns: mapped explicitly, else the columns no standard field took whose header is a field's key
    /// or one of its labels. Null when the file has none and no field is needed on create: such an import's rows do no
    /// custom field work at all. Explicit keys that are neither a field nor a custom field are errors.
    /// </summary>
    private static ImportCustomFields? ResolveCustom(IReadOnlyList<string> headers, IReadOnlyDictionary<string, string>? explicitMap,
        IReadOnlyList<CustomFieldDefinition> customFields, Dictionary<string, IReadOnlyList<string>> standard, Dictionary<string, string[]> errors)
    {
        var columns = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var taken = standard.Values.SelectMany(h => h).Concat(explicitMap?.Values ?? []).ToHashSet();
        foreach (var (name, header) in explicitMap ?? new Dictionary<string, string>())
        {
            if (Fields.Contains(name))
            {
                continue;
            }

            var key = name.StartsWith(CustomFieldPrefix, StringComparison.Ordinal) ? name[CustomFieldPrefix.Length..] : name;
            if (!customFields.Any(f => f.Key == key))
            {
                errors[$"mapping.{name}"] = [$"Unknown field; fields are: {string.Join(", ", Fields)}, or a custom field's key."];
            }
            else if (!headers.Contains(header))
            {
                errors[$"mapping.{name}"] = [$"The file has no column '{header}'."];
            }
            else
            {
                columns[key] = [header];
            }
        }

        var mapped = columns.Keys.ToHashSet();
        var labels = customFields.Select(f => (f.Key, Labels: new[] { f.Label.Zh, f.Label.En, f.Label.Ru }.OfType<string>().Select(Normalize).ToHashSet()))
            .ToList();
        foreach (var header in headers.Where(h => !taken.Contains(h)))
        {
            var name = Normalize(header);
            // A key is one field's; a label may be several fields' (a column of it cannot tell which is meant). A field
            // mapped explicitly takes no other column.
            var fields = labels.Any(f => f.Key == name) ? [name] : labels.Where(f => f.Labels.Contains(name)).Select(f => f.Key).ToList();
            fields.RemoveAll(mapped.Contains);
            if (fields.Count > 1)
            {
                errors[$"mapping.{CustomFieldPrefix}{fields[0]}"] =
                    [$"The column '{header}' is the label of the custom fields {string.Join(", ", fields)}; map it to one by key."];
            }
            else if (fields.Count == 1)
            {
                (columns.TryGetValue(fields[0], out var list) ? list : columns[fields[0]] = []).Add(header);
            }
        }

        if (columns.Count == 0 && !customFields.Any(ImportCustomFields.NeededOnCreate))
        {
            return null;
        }

        // In the catalog's order, so that a row's errors come in a stable order.
        return new ImportCustomFields(customFields,
            customFields.Where(f => columns.ContainsKey(f.Key)).Select(f => new ImportCustomColumn(f, columns[f.Key])).ToList());
    }

    /// <summary>How a custom field is named in errors and in the answer's <c>columns</c>, and may be named in a mapping.</summary>
    public const string CustomFieldPrefix = "customFields.";
}

/// <summary>Field -> the columns it is read from, in the file's order; and the custom fields' columns, if any.</summary>
public sealed class ImportColumns(IReadOnlyDictionary<string, IReadOnlyList<string>> sources, ImportCustomFields? customFields = null,
    NameParts? nameParts = null)
{
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Sources { get; } = sources;

    /// <summary>The file's columns no field takes: the answer names them, so that a phone under an unknown header is not lost unseen.</summary>
    public IReadOnlyList<string> Ignored { get; init; } = [];

    /// <summary>The custom fields the rows fill or must fill; null when neither (no work per row).</summary>
    public ImportCustomFields? CustomFields { get; } = customFields;

    /// <summary>Field -> its first column: the answer's <c>columns</c>, as before a field could have several (custom ones as <c>customFields.key</c>).</summary>
    public IReadOnlyDictionary<string, string> First { get; } = sources.Select(kv => (kv.Key, kv.Value[0]))
        .Concat(customFields?.Columns.Select(c => (ColumnMapping.CustomFieldPrefix + c.Field.Key, c.Headers[0])) ?? [])
        .Concat(nameParts is not null && !sources.ContainsKey("name") ? [("name", nameParts.Headers)] : [])
        .ToDictionary(c => c.Item1, c => c.Item2);

    /// <summary>The row's value of the field: the first of its columns the row fills (a name, else its parts joined).</summary>
    public string? Cell(ImportTable.Row row, string field) =>
        (Sources.TryGetValue(field, out var headers) ? FirstFilled(row, headers) : null)
        ?? (field == "name" && nameParts is not null ? nameParts.Join(row) : null);

    /// <summary>The trimmed text of the first of these columns the row fills.</summary>
    public static string? FirstFilled(ImportTable.Row row, IReadOnlyList<string> headers)
    {
        // A loop, not LINQ: this runs for every field of every row (seven million times in a 1M-row file).
        foreach (var header in headers)
        {
            if (TextInput.TrimOrNull(row.Cells.GetValueOrDefault(header)) is { } value)
            {
                return WithoutFormulaGuard(value);
            }
        }

        return null;
    }

    /// <summary>
    /// The apostrophe an export puts before a cell beginning with = + - @ (<c>ExportsApi.SafeCell</c>, so that a
    /// spreadsheet does not run it) is not part of the value: an exported file imports as the same data.
    /// </summary>
    internal static string WithoutFormulaGuard(string value) =>
        value.Length > 1 && value[0] == '\'' && (Guarded(value[1]) || (value.Length > 2 && value[1] == '\'' && Guarded(value[2]))) ? value[1..] : value;

    /// <summary>What a guard stands before: these, or a value that itself began with a guard (<c>'=</c> exported as <c>''=</c>).</summary>
    private static bool Guarded(char first) => first is '=' or '+' or '-' or '@';
}

/// <summary>
/// A contact's name split over columns, joined as the language writes it: Иванов Иван Иванович and 王小明 surname first
/// (Chinese without spaces), John Smith given name first.
/// </summary>
public sealed record NameParts(IReadOnlyList<string> Last, IReadOnlyList<string> First, IReadOnlyList<string> Middle, bool SurnameFirst)
{
    /// <summary>The answer's <c>columns</c> entry: the parts' first columns, as joined (<c>Фамилия + Имя + Отчество</c>).</summary>
    public string Headers => string.Join(" + ", (SurnameFirst ? new[] { Last, First, Middle } : [First, Middle, Last]).Where(c => c.Count > 0).Select(c => c[0]));

    public string? Join(ImportTable.Row row)
    {
        var (last, first, middle) = (ImportColumns.FirstFilled(row, Last), ImportColumns.FirstFilled(row, First), ImportColumns.FirstFilled(row, Middle));
        string?[] parts = SurnameFirst ? [last, first, middle] : [first, middle, last];
        var filled = parts.OfType<string>().ToList();
        if (filled.Count == 0)
        {
            return null;
        }

        return filled.All(p => p.All(c => c >= '\u3400' && c <= '\u9FFF')) ? string.Concat(filled) : string.Join(' ', filled);
    }
}
