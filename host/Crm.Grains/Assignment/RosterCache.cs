using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Org;
using Crm.Grains.Pools;
using Crm.Sdk;

namespace Crm.Grains.Assignment;

/// <summary>
/// An assignment grain's view of its pool's team: the reps that may receive its leads, their books, and the region
/// paths its leads asked about. The team is re-read at most every 30 seconds (or when told it changed); between reads
/// the grain counts its own assignments, and the rep grain refuses anything beyond capacity anyway.
/// </summary>
public sealed class RosterCache(RepRoster roster, IGrainFactory grains)
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);

    private IReadOnlyList<RosterRep> _team = [];
    private readonly Dictionary<string, string?> _regionPaths = [];
    private Dictionary<string, (int Owned, int Won)> _loads = [];
    private readonly HashSet<string> _full = [];
    private long _readAt = long.MinValue;

    public bool HasTeam => _team.Count > 0;

    /// <summary>The next <see cref="EnsureAsync"/> reads the team again.</summary>
    public void Invalidate() => _readAt = long.MinValue;

    /// <summary>Reads the team and its books unless the last read is recent (or <paramref name="force"/>).</summary>
    public async Task EnsureAsync(string poolId, bool force = false)
    {
        var now = Environment.TickCount64;
        if (!force && _readAt != long.MinValue && now - _readAt < Ttl.TotalMilliseconds)
        {
            return;
        }

        var pool = await grains.GetGrain<IPoolGrain>(poolId).Get();
        var access = await grains.GetGrain<IPoolGrain>(poolId).GetAccess();
        var poolPath = pool is null ? null : await grains.GetGrain<IOrgTreeGrain>(0).PathOf(pool.OrgUnitId);
        // Members only: the active reps of the pool's unit's subtree, narrowed to those of its list that count (listed
        // reps outside the subtree, departed or no longer reps are not in the subtree's team and do not count).
        var subtree = pool is null || access is null ? [] : await roster.TeamAsync(pool.OrgUnitId);
        var subtreeIds = subtree.Select(r => r.RepId).ToHashSet();
        var counting = access?.Members.Where(subtreeIds.Contains).ToList() ?? [];
        _team = subtree.Where(r => OrgPaths.IsPoolMember(r.RepId, r.OrgUnitPath, poolPath, counting)).ToList();
        _regionPaths.Clear();
        _loads = new Dictionary<string, (int, int)>(await roster.LoadsAsync(_team.Select(r => r.RepId).ToList()));
        _full.Clear();
        _readAt = now;
    }

    /// <summary>
    /// The reps a strategy may choose from: taking leads, not <paramref name="excluded"/>, covering the region (when
    /// given) and not known to be full.
    /// </summary>
    public List<RepCandidate> Candidates(PoolInfo pool, IReadOnlySet<string> excluded, string? regionPath, IReadOnlyDictionary<string, int> receivedToday)
    {
        var capacity = pool.Rules.CapacityPerRep;
        var list = new List<RepCandidate>(_team.Count);
        foreach (var member in _team)
        {
            // The host enforces duty, reclaim protection and regions itself, so strategies never see such reps.
            var rep = member.Profile;
            if (!member.TakesLeads || excluded.Contains(rep.RepId) || (regionPath is not null && !OrgPaths.Reaches(regionPath, member.OrgUnitPath)))
            {
                continue;
            }

            // A pool may give a rep its own capacity (capacityOverrides).
            var own = pool.Rules.CapacityOverrides?.GetValueOrDefault(rep.RepId) is > 0 and var o ? o : capacity;
            var load = _loads.GetValueOrDefault(rep.RepId);
            if (_full.Contains(rep.RepId) && own is { } c)
            {
                load.Owned = Math.Max(load.Owned, c);
            }
            else if (_full.Contains(rep.RepId))
            {
                continue;
            }

            list.Add(RepRoster.ToCandidate(rep, load, own, receivedToday.GetValueOrDefault(rep.RepId)));
        }

        return list;
    }

    /// <summary>The rep refused a lead for capacity: our count was behind, so it is full until the team is read again.</summary>
    public void MarkFull(string repId) => _full.Add(repId);

    public void CountAssigned(string repId)
    {
        var load = _loads.GetValueOrDefault(repId);
        _loads[repId] = (load.Owned + 1, load.Won);
    }

    /// <summary>The path of a lead's region (null: no region), read once per team read.</summary>
    public async Task<string?> RegionPathAsync(string? regionUnitId)
    {
        if (regionUnitId is null)
        {
            return null;
        }

        if (!_regionPaths.TryGetValue(regionUnitId, out var path))
        {
            path = await grains.GetGrain<IOrgTreeGrain>(0).PathOf(regionUnitId);
            _regionPaths[regionUnitId] = path;
        }

        return path;
    }
}
