namespace Crm.Server.Api.Dedup;

/// <summary>
/// Which column of an import feeds which customer field. Columns are recognised by common English, Chinese and
/// Russian headers; an explicit mapping (field -> header) given with the request wins.
/// </summary>
public static class ColumnMapping
{
    public static readonly string[] Fields = ["name", "company", "phone", "email", "taxId", "address", "source"];

    private static readonly Dictionary<string, string[]> Known = new()
    {
        ["name"] = ["name", "contact", "contact name", "联系人", "姓名", "客户名称", "контакт", "имя"],
        ["company"] = ["company", "company name", "organization", "公司", "公司名称", "企业名称", "单位名称", "компания", "организация"],
        ["phone"] = ["phone", "mobile", "tel", "telephone", "手机", "手机号", "电话", "联系电话", "телефон"],
        ["email"] = ["email", "e-mail", "mail", "邮箱", "电子邮箱", "почта"],
        ["taxId"] = ["taxid", "tax id", "tax number", "vat", "uscc", "credit code", "统一社会信用代码", "信用代码", "税号", "инн"],
        ["address"] = ["address", "地址", "公司地址", "адрес"],
        ["source"] = ["source", "来源", "线索来源", "источник"],
    };

    /// <summary>Field -> header; errors name the fields whose explicit header is not in the file.</summary>
    public static (Dictionary<string, string> Map, Dictionary<string, string[]> Errors) Resolve(IReadOnlyList<string> headers, IReadOnlyDictionary<string, string>? explicitMap)
    {
        var map = new Dictionary<string, string>();
        var errors = new Dictionary<string, string[]>();
        foreach (var field in Fields)
        {
            if (explicitMap?.GetValueOrDefault(field) is { } header)
            {
                if (headers.Contains(header))
                {
                    map[field] = header;
                }
                else
                {
                    errors[$"mapping.{field}"] = [$"The file has no column '{header}'."];
                }

                continue;
            }

            var found = headers.FirstOrDefault(h => Known[field].Contains(h.Trim().ToLowerInvariant()));
            if (found is not null)
            {
                map[field] = found;
            }
        }

        foreach (var unknown in explicitMap?.Keys.Except(Fields) ?? [])
        {
            errors[$"mapping.{unknown}"] = [$"Unknown field; fields are: {string.Join(", ", Fields)}."];
        }

        if (!map.ContainsKey("name") && !map.ContainsKey("company"))
        {
            errors["mapping.name"] = ["No column gives the customer's name or company; map one."];
        }

        return (map, errors);
    }
}
