using Crm.Grains.Forecast;
using Crm.Grains.Storage;
using Crm.Server.Api.Targets;
using Crm.Server.Permissions;
using Dapper;

namespace Crm.Server.Api.Forecast;

/// <summary>Open deals by rep, currency and probability, and the reps' calibrations: both read models, never the log.</summary>
public sealed class ForecastQueries(CrmDatabase database)
{
    public sealed class OpenRow
    {
        public string RepId { get; set; } = "";
        public string Currency { get; set; } = "";
        public long Probability { get; set; }
        public long Deals { get; set; }
        public long AmountE4 { get; set; }
    }

    private sealed class CalibrationRow
    {
        public string RepId { get; set; } = "";
        public long Closed { get; set; }
        public long Won { get; set; }
        public long StatedSum { get; set; }
    }

    /// <summary>The open deals of the customers the caller sees (in the scope) expected to close in [from, to), summed by rep, currency and probability.</summary>
    public async Task<IReadOnlyList<OpenRow>> OpenAsync(Visibility caller, ReportScope? scope, DateOnly from, DateOnly to)
    {
        var args = new DynamicParameters(new
        {
            from = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds(),
            to = new DateTimeOffset(to.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds(),
        });
        var condition = caller.Customers(args, "c");
        if (scope is not null)
        {
            args.Add("scope", scope.Id);
            condition += " AND c.org_unit_id IN (SELECT su.id FROM org_units su JOIN org_units sr ON su.path LIKE sr.path || '%' WHERE sr.id = @scope)";
        }

        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<OpenRow>($"""
            SELECT d.rep_id AS RepId, d.currency AS Currency, d.probability AS Probability, COUNT(*) AS Deals, CAST(SUM(d.amount_e4) AS BIGINT) AS AmountE4
            FROM deals d JOIN customers c ON c.id = d.customer_id
            WHERE d.status = 'open' AND d.expected_close_ms >= @from AND d.expected_close_ms < @to AND c.version > 0 AND {condition}
            GROUP BY d.rep_id, d.currency, d.probability
            """, args)).ToList();
    }

    public async Task<IReadOnlyDictionary<string, Calibration>> CalibrationsAsync(IReadOnlyList<string> reps)
    {
        var result = new Dictionary<string, Calibration>(StringComparer.Ordinal);
        await using var connection = await database.OpenAsync();
        foreach (var chunk in reps.Chunk(500))
        {
            var args = new DynamicParameters();
            foreach (var row in await connection.QueryAsync<CalibrationRow>(
                $"SELECT rep_id AS RepId, closed AS Closed, won AS Won, stated_sum AS StatedSum FROM rep_calibration WHERE {SqlIn.List("rep_id", chunk, args, "r")}", args))
            {
                result[row.RepId] = new Calibration((int)row.Closed, (int)row.Won, row.StatedSum);
            }
        }

        return result;
    }
}
