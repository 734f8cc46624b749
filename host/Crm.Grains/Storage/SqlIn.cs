using Dapper;

namespace Crm.Grains.Storage;

/// <summary>
/// "column IN (...)" spelled out with one parameter per value. Dapper hands a list to Npgsql as one array
/// parameter, which "IN @list" cannot take, so SQL that must run on SQLite and PostgreSQL lists them.
/// </summary>
public static class SqlIn
{
    public static string List<T>(string column, IReadOnlyList<T> values, DynamicParameters args, string prefix)
    {
        if (values.Count == 0)
        {
            return "1 = 0";
        }

        for (var i = 0; i < values.Count; i++)
        {
            args.Add($"{prefix}{i}", values[i]);
        }

        return $"{column} IN ({string.Join(", ", values.Select((_, i) => $"@{prefix}{i}"))})";
    }
}
