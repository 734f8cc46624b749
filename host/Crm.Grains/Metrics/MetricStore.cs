using System.Globalization;
using Crm.Grains.Storage;
using Dapper;

namespace Crm.Grains.Metrics;

/// <summary>One row of <c>rep_day_metrics</c>: a rep's total of a metric on a local day, in one currency ('' for counts).</summary>
public sealed record RepDayValue(string RepId, DateOnly Day, string Metric, string Currency, decimal Value);

/// <summary>Reads the per-rep, per-day metrics the projection keeps: what targets and leaderboards add up.</summary>
public sealed class MetricStore(CrmDatabase database)
{
    /// <summary>The rows of <paramref name="metric"/> for <paramref name="reps"/> on days in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public async Task<IReadOnlyList<RepDayValue>> ReadAsync(IReadOnlyCollection<string> reps, string metric, DateOnly from, DateOnly to)
    {
        if (reps.Count == 0)
        {
            return [];
        }

        await using var connection = await database.OpenAsync();
        var result = new List<RepDayValue>();
        // Chunks keep the IN list within every database's parameter limits.
        foreach (var chunk in reps.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            var args = new DynamicParameters(new { metric, from = Day(from), to = Day(to) });
            var rows = await connection.QueryAsync<(string Rep, string Day, string Currency, long ValueE4)>($"""
                SELECT rep_id, day, currency, value_e4 FROM rep_day_metrics
                WHERE metric = @metric AND day >= @from AND day < @to AND {SqlIn.List("rep_id", chunk, args, "r")} AND value_e4 <> 0
                """, args);
            result.AddRange(rows.Select(r => new RepDayValue(r.Rep, DateOnly.ParseExact(r.Day, "yyyy-MM-dd", CultureInfo.InvariantCulture), metric,
                r.Currency, r.ValueE4 / 10_000m)));
        }

        return result;
    }

    /// <summary>
    /// A count metric added up per rep over [<paramref name="from"/>, <paramref name="to"/>) by the database: a count needs
    /// no day (no rate applies), so a month's board reads one row per rep instead of one per rep and day.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, decimal>> SumCountsAsync(IReadOnlyCollection<string> reps, string metric, DateOnly from, DateOnly to)
    {
        var sums = new Dictionary<string, decimal>(StringComparer.Ordinal);
        if (reps.Count == 0)
        {
            return sums;
        }

        await using var connection = await database.OpenAsync();
        foreach (var chunk in reps.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            var args = new DynamicParameters(new { metric, from = Day(from), to = Day(to) });
            var rows = await connection.QueryAsync<(string Rep, long ValueE4)>($"""
                SELECT rep_id, SUM(value_e4) FROM rep_day_metrics
                WHERE metric = @metric AND day >= @from AND day < @to AND {SqlIn.List("rep_id", chunk, args, "r")}
                GROUP BY rep_id
                """, args);
            foreach (var (rep, valueE4) in rows.Where(r => r.ValueE4 != 0))
            {
                sums[rep] = valueE4 / 10_000m;
            }
        }

        return sums;
    }

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
