using System.Globalization;
using Crm.Grains.Storage;
using Dapper;

namespace Crm.Grains.Metrics;

/// <summary>One row of <c>rep_day_metrics</c>: a rep's total of a metric on a local day, in one currency ('' for counts).</summary>
public sealed record RepDayValue(string RepId, DateOnly Day, string Metric, string Currency, decimal Value);

/// <summary>Reads the per-rep, per-day metrics the projection keeps: what targets and leaderboards add up.</summary>
public sealed class MetricStore(CrmDatabase database)
{
    private const int ManyReps = 64;

    /// <summary>The rows of <paramref name="metric"/> for <paramref name="reps"/> on days in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public async Task<IReadOnlyList<RepDayValue>> ReadAsync(IReadOnlyCollection<string> reps, string metric, DateOnly from, DateOnly to)
    {
        if (reps.Count == 0)
        {
            return [];
        }

        await using var connection = await database.OpenAsync();
        var result = new List<RepDayValue>();
        foreach (var (condition, args, keep) in RepFilters(reps, new { metric, from = Day(from), to = Day(to) }))
        {
            var rows = await connection.QueryAsync<(string Rep, string Day, string Currency, long ValueE4)>($"""
                SELECT rep_id, day, currency, value_e4 FROM rep_day_metrics
                WHERE metric = @metric AND day >= @from AND day < @to AND {condition} AND value_e4 <> 0
                """, args);
            result.AddRange(rows.Where(r => keep?.Contains(r.Rep) != false).Select(r => new RepDayValue(r.Rep,
                DateOnly.ParseExact(r.Day, "yyyy-MM-dd", CultureInfo.InvariantCulture), metric, r.Currency, r.ValueE4 / 10_000m)));
        }

        return result;
    }

    /// <summary>
    /// A count metric added up per rep over [<paramref name="from"/>, <paramref name="to"/>) by the database: a count needs
    /// no day (no rate applies), so whole periods are read from <c>rep_period_metrics</c> (one row per rep and period)
    /// and only the edge days from <c>rep_day_metrics</c>, as <see cref="CountPlan"/> decides.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, decimal>> SumCountsAsync(IReadOnlyCollection<string> reps, string metric, DateOnly from, DateOnly to)
    {
        var sums = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var plan = CountPlan.For(from, to);
        if (reps.Count == 0 || plan.Periods.Count + plan.AddDays.Count == 0)
        {
            return sums;
        }

        await using var connection = await database.OpenAsync();
        foreach (var (condition, args, keep) in RepFilters(reps, new { metric }))
        {
            var parts = new List<string>();
            if (plan.Periods.Count > 0)
            {
                parts.Add($"SELECT rep_id, value_e4 AS v FROM rep_period_metrics WHERE metric = @metric AND {SqlIn.List("period", plan.Periods, args, "p")} AND {condition}");
            }

            foreach (var (range, sign, i) in plan.AddDays.Select((r, i) => (r, "", i)).Concat(plan.SubtractDays.Select((r, i) => (r, "-", i + plan.AddDays.Count))))
            {
                args.Add($"d{i}", Day(range.From));
                args.Add($"e{i}", Day(range.To));
                parts.Add($"SELECT rep_id, {sign}value_e4 AS v FROM rep_day_metrics WHERE metric = @metric AND day >= @d{i} AND day < @e{i} AND {condition}");
            }

            var rows = await connection.QueryAsync<(string Rep, long ValueE4)>(
                $"SELECT rep_id, SUM(v) FROM ({string.Join(" UNION ALL ", parts)}) counted GROUP BY rep_id", args);
            foreach (var (rep, valueE4) in rows.Where(r => r.ValueE4 != 0 && keep?.Contains(r.Rep) != false))
            {
                sums[rep] = valueE4 / 10_000m;
            }
        }

        return sums;
    }

    /// <summary>
    /// How a query picks the reps' rows: a few reps by an IN list (in chunks within every database's parameter limits);
    /// many (a company's or a region's board) by reading the period's rows of every rep and keeping theirs here, because
    /// binding and planning hundreds of parameters cost more CPU than the rows of the reps not asked for.
    /// </summary>
    private static IEnumerable<(string Condition, DynamicParameters Args, HashSet<string>? Keep)> RepFilters(IReadOnlyCollection<string> reps, object range)
    {
        if (reps.Count > ManyReps)
        {
            yield return ("1 = 1", new DynamicParameters(range), reps.ToHashSet(StringComparer.Ordinal));
            yield break;
        }

        foreach (var chunk in reps.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            var args = new DynamicParameters(range);
            yield return (SqlIn.List("rep_id", chunk, args, "r"), args, null);
        }
    }

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
