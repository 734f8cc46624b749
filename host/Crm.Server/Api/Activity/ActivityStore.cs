using System.Globalization;
using Crm.Grains.Metrics;
using Crm.Grains.Storage;
using Dapper;

namespace Crm.Server.Api.Activity;

/// <summary>One row of <c>rep_day_activity</c> (72-rep-activity.sql).</summary>
public sealed record ActivityRow(string RepId, DateOnly Day, string PipelineId, string StageKey, string Measure, string Detail, long Count);

/// <summary>Reads the per-rep, per-day rows the activity projection keeps: a few rows per rep and day, never the event log.</summary>
public sealed class ActivityStore(CrmDatabase database)
{
    /// <summary>The rows of <paramref name="reps"/> on local days in [<paramref name="from"/>, <paramref name="to"/>], of the measures asked for.</summary>
    public async Task<IReadOnlyList<ActivityRow>> ReadAsync(IReadOnlyCollection<string> reps, DateOnly from, DateOnly to, IReadOnlyList<string> measures)
    {
        if (reps.Count == 0)
        {
            return [];
        }

        await using var connection = await database.OpenAsync();
        var result = new List<ActivityRow>();
        foreach (var chunk in reps.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            var args = new DynamicParameters(new { from = MetricStore.Day(from), to = MetricStore.Day(to) });
            var rows = await connection.QueryAsync<(string Rep, string Day, string Pipeline, string Stage, string Measure, string Detail, long Count)>($"""
                SELECT rep_id, day, pipeline_id, stage_key, measure, detail, count FROM rep_day_activity
                WHERE day >= @from AND day <= @to AND {SqlIn.List("rep_id", chunk, args, "r")} AND {SqlIn.List("measure", measures, args, "m")}
                """, args);
            result.AddRange(rows.Select(r => new ActivityRow(r.Rep, DateOnly.ParseExact(r.Day, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                r.Pipeline, r.Stage, r.Measure, r.Detail, r.Count)));
        }

        return result;
    }
}
