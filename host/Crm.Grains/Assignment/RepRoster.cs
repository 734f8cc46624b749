using System.Text.Json;
using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Storage;
using Crm.Sdk;
using Dapper;

namespace Crm.Grains.Assignment;

/// <summary>
/// The reps that may receive leads — the reps of an org unit and the units below it — with their profiles
/// (<c>rep_profiles</c>) and their current books (from the customers read model). Queries run on the thread pool:
/// the database driver may block, and grains must not block their scheduler.
/// </summary>
public sealed class RepRoster(CrmDatabase database)
{
    private const string Select = """
        SELECT u.id AS RepId, u.org_unit_id AS OrgUnitId, u.created_ms AS CreatedMs,
               p.industries AS Industries, p.regions AS Regions, p.languages AS Languages, p.seniority AS Seniority,
               p.active AS Active, p.on_duty AS OnDuty, p.joined_ms AS JoinedMs, p.attributes AS Attributes        , o.path AS OrgUnitPath
        FROM users u
        LEFT JOIN org_units o ON o.id = u.org_unit_id
        LEFT JOIN rep_profiles p ON p.rep_id = u.id
        WHERE u.role = 'rep' AND NOT EXISTS (SELECT 1 FROM departed_users d WHERE d.user_id = u.id)
        """;

    private sealed class Row
    {
        public string RepId { get; set; } = "";
        public string? OrgUnitId { get; set; }
        public long CreatedMs { get; set; }
        public string? Industries { get; set; }
        public string? Regions { get; set; }
        public string? Languages { get; set; }
        public long? Seniority { get; set; }
        public long? Active { get; set; }
        public long? OnDuty { get; set; }
        public long? JoinedMs { get; set; }
        public string? Attributes { get; set; }
        public string? OrgUnitPath { get; set; }

        public RosterRep ToRep() => new(ToDto(), OrgUnitPath);

        public RepProfileDto ToDto() => new(RepId, OrgUnitId, List(Industries), List(Regions), List(Languages),
            (int)(Seniority ?? 0), Active != 0, OnDuty != 0, UnixTime.FromMs(JoinedMs ?? CreatedMs),
            Attributes is null ? new Dictionary<string, string>() : JsonSerializer.Deserialize<Dictionary<string, string>>(Attributes)!);
    }

    private sealed class LoadRow
    {
        public string RepId { get; set; } = "";
        public long Owned { get; set; }
        public long Won { get; set; }
    }

    /// <summary>The reps (still employed) of <paramref name="orgUnitId"/> and the units below it, by rep id.</summary>
    public Task<IReadOnlyList<RosterRep>> TeamAsync(string orgUnitId) => Task.Run(async () =>
    {
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<Row>($"""
            {Select} AND o.path LIKE (SELECT path FROM org_units WHERE id = @orgUnitId) || '%'
            ORDER BY u.id
            """, new { orgUnitId });
        return (IReadOnlyList<RosterRep>)rows.Select(r => r.ToRep()).ToList();
    });

    /// <summary>The named reps (users with the rep role, still employed), by rep id; unknown ids are left out.</summary>
    public Task<IReadOnlyList<RosterRep>> RepsAsync(IReadOnlyCollection<string> repIds) => Task.Run(async () =>
    {
        await using var connection = await database.OpenAsync();
        var args = new DynamicParameters();
        var rows = await connection.QueryAsync<Row>($"{Select} AND {SqlIn.List("u.id", repIds.ToArray(), args, "rep")} ORDER BY u.id", args);
        return (IReadOnlyList<RosterRep>)rows.Select(r => r.ToRep()).ToList();
    });

    public async Task<RepProfileDto?> GetAsync(string repId) => (await RepsAsync([repId])).FirstOrDefault()?.Profile;

    /// <summary>Owned customers and won deals per rep, from the read model.</summary>
    public Task<IReadOnlyDictionary<string, (int Owned, int Won)>> LoadsAsync(IReadOnlyCollection<string> repIds) => Task.Run(async () =>
    {
        var loads = new Dictionary<string, (int Owned, int Won)>();
        if (repIds.Count == 0)
        {
            return (IReadOnlyDictionary<string, (int, int)>)loads;
        }

        await using var connection = await database.OpenAsync();
        // Chunks keep the parameter count well under every driver's limit.
        foreach (var chunk in repIds.Chunk(500))
        {
            var args = new DynamicParameters();
            var rows = await connection.QueryAsync<LoadRow>($"""
                SELECT owner_id AS RepId, COUNT(*) AS Owned, SUM(CASE WHEN stage = 'customer' THEN 1 ELSE 0 END) AS Won
                FROM customers WHERE {SqlIn.List("owner_id", chunk, args, "rep")} AND version > 0 GROUP BY owner_id
                """, args);
            foreach (var row in rows)
            {
                loads[row.RepId] = ((int)row.Owned, (int)row.Won);
            }
        }

        return (IReadOnlyDictionary<string, (int, int)>)loads;
    });

    /// <summary>Unowned open leads of a pool, oldest first: what a sweep assigns.</summary>
    public Task<IReadOnlyList<Guid>> UnownedLeadsAsync(string poolId, int limit) => Task.Run(async () =>
    {
        await using var connection = await database.OpenAsync();
        var ids = await connection.QueryAsync<string>("""
            SELECT id FROM customers
            WHERE pool_id = @poolId AND owner_id IS NULL AND version > 0 AND stage IN ('lead', 'opportunity')
            ORDER BY created_ms, id LIMIT @limit
            """, new { poolId, limit });
        return (IReadOnlyList<Guid>)ids.Select(Guid.Parse).ToList();
    });

    /// <summary>Customers that entered a pool since <paramref name="sinceMs"/>, oldest first (for dry runs).</summary>
    public Task<IReadOnlyList<Guid>> EnteredSinceAsync(string poolId, long sinceMs, int limit) => Task.Run(async () =>
    {
        await using var connection = await database.OpenAsync();
        var ids = await connection.QueryAsync<string>("""
            SELECT id FROM customers WHERE pool_id = @poolId AND created_ms >= @sinceMs AND version > 0
            ORDER BY created_ms, id LIMIT @limit
            """, new { poolId, sinceMs, limit });
        return (IReadOnlyList<Guid>)ids.Select(Guid.Parse).ToList();
    });

    public Task SaveAsync(string repId, RepProfileRequest profile, long nowMs) => Task.Run(async () =>
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("""
            INSERT INTO rep_profiles (rep_id, industries, regions, languages, seniority, active, on_duty, joined_ms, attributes, updated_ms)
            VALUES (@repId, @industries, @regions, @languages, @seniority, @active, @onDuty, @joinedMs, @attributes, @nowMs)
            ON CONFLICT (rep_id) DO UPDATE SET
                industries = excluded.industries, regions = excluded.regions, languages = excluded.languages,
                seniority = excluded.seniority, active = excluded.active, on_duty = excluded.on_duty,
                joined_ms = excluded.joined_ms, attributes = excluded.attributes, updated_ms = excluded.updated_ms
            """, new
        {
            repId,
            industries = Json(profile.Industries ?? []),
            regions = Json(profile.Regions ?? []),
            languages = Json(profile.Languages ?? []),
            seniority = profile.Seniority ?? 0,
            active = profile.Active ?? true ? 1 : 0,
            onDuty = profile.OnDuty ?? true ? 1 : 0,
            joinedMs = UnixTime.ToMs(profile.JoinedAt),
            attributes = JsonSerializer.Serialize(profile.Attributes ?? new Dictionary<string, string>()),
            nowMs,
        });
    });

    /// <summary>The candidate a strategy sees: profile, load and the pool's capacity.</summary>
    public static RepCandidate ToCandidate(RepProfileDto rep, (int Owned, int Won) load, int? capacity, int receivedToday) => new()
    {
        RepId = rep.RepId,
        OrgUnitId = rep.OrgUnitId,
        OwnedCount = load.Owned,
        DealsWon = load.Won,
        Capacity = capacity,
        ReceivedToday = receivedToday,
        Industries = rep.Industries,
        Regions = rep.Regions,
        Languages = rep.Languages,
        Seniority = rep.Seniority,
        JoinedAt = rep.JoinedAt,
        IsActive = rep.Active && rep.OnDuty,
        Attributes = rep.Attributes,
    };

    private static string Json(IReadOnlyList<string> values) =>
        JsonSerializer.Serialize(values.Select(v => v.Trim()).Where(v => v.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase));

    private static IReadOnlyList<string> List(string? json) =>
        json is null ? [] : JsonSerializer.Deserialize<List<string>>(json) ?? [];
}
