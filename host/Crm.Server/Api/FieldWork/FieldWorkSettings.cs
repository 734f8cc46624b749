using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Storage;
using Dapper;

namespace Crm.Server.Api.FieldWork;

/// <summary>Location consents per rep and device, and per-unit permission to visit outside working hours.</summary>
public sealed class FieldWorkSettings(CrmDatabase database, TimeProvider clock)
{
    private sealed record ConsentRow(string RepId, string DeviceId, long Granted, long ChangedMs)
    {
        public LocationConsentDto ToDto() => new(RepId, DeviceId, Granted == 1, UnixTime.FromMs(ChangedMs));
    }

    private sealed record UnitRow(string OrgUnitId, long AllowOutsideHours);

    public async Task<LocationConsentDto> SetConsentAsync(string repId, string deviceId, bool granted)
    {
        var row = new ConsentRow(repId, deviceId, granted ? 1 : 0, UnixTime.ToMs(clock.GetUtcNow()));
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("""
            INSERT INTO location_consents (rep_id, device_id, granted, changed_ms) VALUES (@RepId, @DeviceId, @Granted, @ChangedMs)
            ON CONFLICT (rep_id, device_id) DO UPDATE SET granted = excluded.granted, changed_ms = excluded.changed_ms
            """, row);
        return row.ToDto();
    }

    public async Task<IReadOnlyList<LocationConsentDto>> ConsentsAsync(string repId)
    {
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<ConsentRow>(
            "SELECT rep_id AS RepId, device_id AS DeviceId, granted AS Granted, changed_ms AS ChangedMs FROM location_consents WHERE rep_id = @repId ORDER BY device_id",
            new { repId });
        return rows.Select(r => r.ToDto()).ToList();
    }

    public async Task<bool> HasConsentAsync(string repId, string deviceId)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM location_consents WHERE rep_id = @repId AND device_id = @deviceId AND granted = 1", new { repId, deviceId }) > 0;
    }

    public async Task SetUnitAsync(string orgUnitId, bool allowOutsideHours)
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("""
            INSERT INTO field_work_units (org_unit_id, allow_outside_hours, updated_ms) VALUES (@orgUnitId, @allow, @ms)
            ON CONFLICT (org_unit_id) DO UPDATE SET allow_outside_hours = excluded.allow_outside_hours, updated_ms = excluded.updated_ms
            """, new { orgUnitId, allow = allowOutsideHours ? 1 : 0, ms = UnixTime.ToMs(clock.GetUtcNow()) });
    }

    /// <summary>
    /// Whether a unit allows visits outside working hours: the nearest unit on its path (itself, then up to the root)
    /// that has a setting decides; none means no. <paramref name="unitPath"/> is '/root/…/unit/'.
    /// </summary>
    public async Task<(bool Allowed, string? DecidedBy)> UnitAllowsOutsideHoursAsync(string? unitPath)
    {
        var ids = (unitPath ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (ids.Length == 0)
        {
            return (false, null);
        }

        var args = new DynamicParameters();
        var inPath = SqlIn.List("org_unit_id", ids, args, "u");
        await using var connection = await database.OpenAsync();
        var rows = (await connection.QueryAsync<UnitRow>(
            $"SELECT org_unit_id AS OrgUnitId, allow_outside_hours AS AllowOutsideHours FROM field_work_units WHERE {inPath}", args))
            .ToDictionary(r => r.OrgUnitId);
        foreach (var id in Enumerable.Reverse(ids))
        {
            if (rows.TryGetValue(id, out var row))
            {
                return (row.AllowOutsideHours == 1, id);
            }
        }

        return (false, null);
    }
}
