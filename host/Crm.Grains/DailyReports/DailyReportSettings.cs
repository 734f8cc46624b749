using System.Globalization;
using Crm.Grains.Common;
using Crm.Grains.Org;
using Crm.Grains.Storage;
using Dapper;
using Microsoft.Extensions.Options;

namespace Crm.Grains.DailyReports;

/// <summary>
/// The local time each org unit's daily reports are made at: the unit's own setting, else the nearest unit above that
/// has one, else <see cref="DailyReportOptions.DefaultLocalTime"/>. The table is small and read whole per question.
/// </summary>
public sealed class DailyReportSettings(CrmDatabase database, OrgTreeCache tree, IOptions<DailyReportOptions> options, TimeProvider clock)
{
    /// <summary>The time that applies to a unit, and the unit it is set on (null: the default).</summary>
    public async Task<(TimeOnly LocalTime, string? SetOn)> ForUnitAsync(string? orgUnitId)
    {
        await using var connection = await database.OpenAsync();
        var rows = (await connection.QueryAsync<(string Unit, string Time)>("SELECT org_unit_id, local_time FROM daily_report_settings"))
            .ToDictionary(r => r.Unit, r => r.Time, StringComparer.Ordinal);
        var path = orgUnitId is null ? null : await tree.PathOf(orgUnitId);
        foreach (var unit in (path ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
        {
            if (rows.TryGetValue(unit, out var time) && TryParseTime(time, out var local))
            {
                return (local, unit);
            }
        }

        return (options.Value.DefaultLocalTime, null);
    }

    /// <summary>Sets a unit's own time (null: remove it, so the unit follows the one above).</summary>
    public async Task SetAsync(string orgUnitId, TimeOnly? localTime)
    {
        await using var connection = await database.OpenAsync();
        if (localTime is null)
        {
            await connection.ExecuteAsync("DELETE FROM daily_report_settings WHERE org_unit_id = @orgUnitId", new { orgUnitId });
            return;
        }

        await connection.ExecuteAsync("""
            INSERT INTO daily_report_settings (org_unit_id, local_time, updated_ms) VALUES (@orgUnitId, @time, @now)
            ON CONFLICT (org_unit_id) DO UPDATE SET local_time = excluded.local_time, updated_ms = excluded.updated_ms
            """, new { orgUnitId, time = Format(localTime.Value), now = UnixTime.ToMs(clock.GetUtcNow()) });
    }

    public static bool TryParseTime(string? text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    public static string Format(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);
}
