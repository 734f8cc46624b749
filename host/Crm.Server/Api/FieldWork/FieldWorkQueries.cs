using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Storage;
using Crm.Grains.Visits;
using Crm.Server.Permissions;
using Dapper;

namespace Crm.Server.Api.FieldWork;

/// <summary>
/// Field work's read model: customers near a point through the spatial index (SQLite R*Tree, PostGIS GiST), visits,
/// a rep's previous check-in, consents and the units' settings. Never visits grains.
/// </summary>
public sealed class FieldWorkQueries(CrmDatabase database)
{
    /// <summary>The most candidates the index may hand back for one nearby query before the exact distance filter.</summary>
    public const int MaxCandidates = 20_000;

    private sealed record NearbyRow(string Id, string Name, string? Company, string Stage, string PoolId, string? OwnerId, double Lat, double Lon);

    private sealed record VisitRow(string Id, string CustomerId, string RepId, string DeviceId, long CheckedInMs, double Lat, double Lon,
        double? AccuracyM, double? DistanceM, string Flags, string Photos, string? Outcome, long? CheckedOutMs, double? DurationMinutes, string? OutFlags)
    {
        public VisitDto ToDto() => new(Id, Guid.Parse(CustomerId), RepId, DeviceId, UnixTime.FromMs(CheckedInMs), Lat, Lon, AccuracyM, DistanceM,
            Split(Flags), Split(Photos), Outcome, UnixTime.FromMs(CheckedOutMs), DurationMinutes, Split(OutFlags));
    }

    /// <summary>Set by property, not by constructor: SQLite gives a UNION's columns no declared type, so a first row
    /// without a location would make Dapper look for a constructor of strings.</summary>
    private sealed class PlannedRow
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public double? Lat { get; set; }
        public double? Lon { get; set; }
        public string Reason { get; set; } = "";
    }

    private const string VisitColumns = """
        id AS Id, customer_id AS CustomerId, rep_id AS RepId, device_id AS DeviceId, checked_in_ms AS CheckedInMs, lat AS Lat, lon AS Lon,
        accuracy_m AS AccuracyM, distance_m AS DistanceM, flags AS Flags, photos AS Photos, outcome AS Outcome,
        checked_out_ms AS CheckedOutMs, duration_minutes AS DurationMinutes, out_flags AS OutFlags
        """;

    /// <summary>
    /// Visible customers within <paramref name="radiusMeters"/>, nearest first: the index narrows to the bounding box
    /// (R*Tree) or the radius (PostGIS ST_DWithin on the sphere), then the haversine distance filters and sorts.
    /// </summary>
    public async Task<Page<NearbyCustomerDto>> NearbyAsync(double lat, double lon, double radiusMeters, NearbyScope scope, Visibility visibility, int limit)
    {
        var args = new DynamicParameters(new { lat, lon, radius = radiusMeters, me = visibility.UserId, cap = MaxCandidates });
        var where = $"c.version > 0 AND {visibility.Customers(args, "c")}{ScopeCondition(scope)}";
        string sql;
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            var box = GeoMath.BoundingBox(lat, lon, radiusMeters);
            args.AddDynamicParams(new { box.MinLat, box.MaxLat, box.MinLon, box.MaxLon });
            // CROSS JOIN fixes the order: the R*Tree first. With a plain JOIN SQLite drove a rep's or a manager's query
            // from the visibility condition (owner, pool or unit indexes: every customer they see, 4-10 s at 1M
            // customers) and asked the R*Tree per customer; only the admin's had the box first (docs/field-work.md).
            sql = $"""
                SELECT c.id AS Id, c.name AS Name, c.company AS Company, c.stage AS Stage, c.pool_id AS PoolId, c.owner_id AS OwnerId, l.lat AS Lat, l.lon AS Lon
                FROM customer_locations_rtree r
                CROSS JOIN customer_locations l ON l.rid = r.id
                CROSS JOIN customers c ON c.id = l.customer_id
                WHERE r.min_lat <= @MaxLat AND r.max_lat >= @MinLat AND r.min_lon <= @MaxLon AND r.max_lon >= @MinLon AND {where}
                LIMIT @cap
                """;
        }
        else
        {
            sql = $"""
                SELECT c.id AS Id, c.name AS Name, c.company AS Company, c.stage AS Stage, c.pool_id AS PoolId, c.owner_id AS OwnerId, l.lat AS Lat, l.lon AS Lon
                FROM customer_locations l
                JOIN customers c ON c.id = l.customer_id
                WHERE ST_DWithin(l.geog, ST_SetSRID(ST_MakePoint(@lon, @lat), 4326)::geography, @radius, false) AND {where}
                LIMIT @cap
                """;
        }

        await using var connection = await database.OpenAsync();
        var near = (await connection.QueryAsync<NearbyRow>(sql, args))
            .Select(r => (Row: r, Meters: GeoMath.DistanceMeters(lat, lon, r.Lat, r.Lon)))
            .Where(x => x.Meters <= radiusMeters)
            .OrderBy(x => x.Meters).ThenBy(x => x.Row.Id, StringComparer.Ordinal)
            .ToList();
        var items = near.Take(limit)
            .Select(x => new NearbyCustomerDto(Guid.Parse(x.Row.Id), x.Row.Name, x.Row.Company, x.Row.Stage, x.Row.PoolId, x.Row.OwnerId,
                x.Row.Lat, x.Row.Lon, Math.Round(x.Meters, 1)))
            .ToList();
        return new Page<NearbyCustomerDto>(items, near.Count);
    }

    private static string ScopeCondition(NearbyScope scope) => scope switch
    {
        NearbyScope.Mine => " AND c.owner_id = @me",
        NearbyScope.Public => " AND c.owner_id IS NULL",
        NearbyScope.Team => " AND c.owner_id IS NOT NULL",
        _ => "",
    };

    public async Task<VisitDto?> VisitAsync(string id)
    {
        await using var connection = await database.OpenAsync();
        var row = await connection.QuerySingleOrDefaultAsync<VisitRow>($"SELECT {VisitColumns} FROM visits WHERE id = @id", new { id });
        return row?.ToDto();
    }

    /// <summary>A customer's visits, newest first.</summary>
    public async Task<IReadOnlyList<VisitDto>> VisitsOfAsync(Guid customerId, int limit)
    {
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<VisitRow>(
            $"SELECT {VisitColumns} FROM visits WHERE customer_id = @customerId ORDER BY checked_in_ms DESC, id LIMIT @limit",
            new { customerId = customerId.ToString(), limit });
        return rows.Select(r => r.ToDto()).ToList();
    }

    /// <summary>The rep's latest check-in at or before <paramref name="at"/>, at any customer.</summary>
    public async Task<PreviousCheckIn?> PreviousCheckInAsync(string repId, DateTimeOffset at)
    {
        await using var connection = await database.OpenAsync();
        var row = await connection.QueryFirstOrDefaultAsync<VisitRow>(
            $"SELECT {VisitColumns} FROM visits WHERE rep_id = @repId AND checked_in_ms <= @atMs ORDER BY checked_in_ms DESC LIMIT 1",
            new { repId, atMs = UnixTime.ToMs(at) });
        return row is null ? null : new PreviousCheckIn(UnixTime.FromMs(row.CheckedInMs), new GeoPoint(row.Lat, row.Lon), Guid.Parse(row.CustomerId));
    }

    public const string PlannedByVisitTask = "visit-task";

    public const string PlannedByNextFollowUp = "next-follow-up";

    /// <summary>
    /// The customers a rep planned to visit in [from, to): its open tasks of kind visit due then, and the next follow-up
    /// dates set by notes (not yet followed up). A customer planned both ways is one stop, named by its task.
    /// </summary>
    public async Task<IReadOnlyList<(Guid Id, string Name, GeoPoint? Point, string Reason)>> PlannedAsync(string repId, DateTimeOffset from, DateTimeOffset to)
    {
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<PlannedRow>("""
            SELECT c.id AS Id, c.name AS Name, l.lat AS Lat, l.lon AS Lon, 'visit-task' AS Reason
            FROM task_items i
            JOIN tasks t ON t.id = i.task_id
            JOIN customers c ON c.id = i.customer_id
            LEFT JOIN customer_locations l ON l.customer_id = c.id
            WHERE i.assignee_id = @repId AND i.status = 'open' AND t.status = 'open' AND t.kind = 'visit'
              AND i.due_ms >= @fromMs AND i.due_ms < @toMs AND c.version > 0
            UNION ALL
            SELECT c.id AS Id, c.name AS Name, l.lat AS Lat, l.lon AS Lon, 'next-follow-up' AS Reason
            FROM customer_reminders r
            JOIN customers c ON c.id = r.customer_id
            LEFT JOIN customer_locations l ON l.customer_id = c.id
            WHERE c.owner_id = @repId AND c.version > 0 AND r.due_ms >= @fromMs AND r.due_ms < @toMs
              AND (c.last_follow_up_ms IS NULL OR c.last_follow_up_ms < r.set_ms)
            """, new { repId, fromMs = UnixTime.ToMs(from), toMs = UnixTime.ToMs(to) });
        return rows
            .GroupBy(r => r.Id)
            .Select(g => g.OrderBy(r => r.Reason == PlannedByVisitTask ? 0 : 1).First())
            .OrderBy(r => r.Id, StringComparer.Ordinal)
            .Select(r => (Guid.Parse(r.Id), r.Name, r.Lat is { } la && r.Lon is { } lo ? new GeoPoint(la, lo) : null, r.Reason))
            .ToList();
    }

    private static IReadOnlyList<string> Split(string? list) =>
        string.IsNullOrEmpty(list) ? [] : list.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
