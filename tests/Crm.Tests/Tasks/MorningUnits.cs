using Crm.Grains.Calendars;
using Crm.Grains.Morning;
using Crm.Grains.Org;
using Crm.Tests.Infrastructure;
using Crm.Tests.Pools;
using Dapper;

namespace Crm.Tests.Tasks;

/// <summary>Org units of their own for the morning-task tests on the shared cluster: one rep, a calendar, the clock moved to a morning.</summary>
internal static class MorningUnits
{
    /// <summary>A new unit with one rep and <paramref name="calendar"/>, written to the database and known to the silo's org tree.</summary>
    public static async Task<(string Unit, string Rep)> UnitWithRepAsync(this ClusterFixture fixture, CalendarDefinition calendar)
    {
        var unit = "unit-" + Guid.NewGuid().ToString("N")[..8];
        var rep = PoolWorld.NewRepId();
        await using (var connection = await fixture.Database.OpenAsync())
        {
            await connection.ExecuteAsync("INSERT INTO org_units (id, name, parent_id, path, created_ms) VALUES (@unit, @unit, NULL, @path, 0)",
                new { unit, path = $"/{unit}/" });
            await connection.ExecuteAsync("""
                INSERT INTO users (id, user_name, user_name_key, password_hash, display_name, role, org_unit_id, created_ms)
                VALUES (@rep, @rep, @rep, 'x', @rep, 'rep', @unit, 0)
                """, new { rep, unit });
        }

        await fixture.Service<OrgTreeCache>().ReloadAsync();
        await fixture.Service<CalendarDirectory>().SetAsync(unit, calendar);
        return (unit, rep);
    }

    /// <summary>
    /// Moves the clock forward to <paramref name="at"/> (never back) and knocks on the unit's morning, as the sweep does. The silo's own
    /// sweep may have run this morning first (the clock moved): either way the grain has run it once when this returns.
    /// </summary>
    public static async Task<MorningReport> MorningAtAsync(this ClusterFixture fixture, string unit, DateTimeOffset at)
    {
        if (at > fixture.Clock.GetUtcNow())
        {
            fixture.Clock.Advance(at - fixture.Clock.GetUtcNow());
        }

        return await fixture.Grains.GetGrain<IMorningGrain>(unit).Run();
    }
}
