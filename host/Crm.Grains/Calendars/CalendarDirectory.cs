using System.Text.Json;
using System.Text.Json.Serialization;
using Crm.Grains.Common;
using Crm.Grains.Org;
using Crm.Grains.Storage;
using Dapper;

namespace Crm.Grains.Calendars;

/// <summary>
/// The work calendars of the org units, held by every silo. A unit without one of its own follows the nearest unit
/// above it that has one, and <see cref="WorkCalendar.Default"/> when none does. Reloaded after a change made through
/// this silo and at least every <see cref="ReloadEvery"/>, so another silo's change is seen within that time.
/// </summary>
public sealed class CalendarDirectory(CrmDatabase database, OrgTreeCache tree, TimeProvider clock)
{
    public static readonly TimeSpan ReloadEvery = TimeSpan.FromMinutes(1);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile Loaded? _loaded;

    private sealed record Loaded(IReadOnlyDictionary<string, WorkCalendar> Units, DateTimeOffset At);

    /// <summary>The calendar that applies to a unit, and the unit it is set on (null: the default).</summary>
    public async Task<(WorkCalendar Calendar, string? SetOn)> ForUnitAsync(string? orgUnitId)
    {
        var units = (await LoadedAsync()).Units;
        var path = orgUnitId is null ? null : await tree.PathOf(orgUnitId);
        foreach (var unit in (path ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
        {
            if (units.TryGetValue(unit, out var calendar))
            {
                return (calendar, unit);
            }
        }

        return (WorkCalendar.Default, null);
    }

    /// <summary>Sets a unit's own calendar (null: remove it, so the unit follows the one above).</summary>
    public async Task SetAsync(string orgUnitId, CalendarDefinition? definition)
    {
        await using (var connection = await database.OpenAsync())
        {
            if (definition is null)
            {
                await connection.ExecuteAsync("DELETE FROM work_calendars WHERE org_unit_id = @orgUnitId", new { orgUnitId });
            }
            else
            {
                await connection.ExecuteAsync("""
                    INSERT INTO work_calendars (org_unit_id, definition, updated_ms) VALUES (@orgUnitId, @json, @now)
                    ON CONFLICT (org_unit_id) DO UPDATE SET definition = excluded.definition, updated_ms = excluded.updated_ms
                    """, new { orgUnitId, json = JsonSerializer.Serialize(definition, Json), now = UnixTime.ToMs(clock.GetUtcNow()) });
            }
        }

        _loaded = null;
    }

    private async Task<Loaded> LoadedAsync()
    {
        var loaded = _loaded;
        if (loaded is not null && clock.GetUtcNow() - loaded.At < ReloadEvery && clock.GetUtcNow() >= loaded.At)
        {
            return loaded;
        }

        await _loading.WaitAsync();
        try
        {
            await using var connection = await database.OpenAsync();
            var rows = await connection.QueryAsync<(string Unit, string Json)>("SELECT org_unit_id, definition FROM work_calendars");
            _loaded = loaded = new Loaded(
                rows.ToDictionary(r => r.Unit, r => new WorkCalendar(JsonSerializer.Deserialize<CalendarDefinition>(r.Json, Json)!)),
                clock.GetUtcNow());
            return loaded;
        }
        finally
        {
            _loading.Release();
        }
    }
}
