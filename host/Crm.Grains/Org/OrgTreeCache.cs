using Crm.Client;
using Crm.Grains.Storage;
using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Crm.Grains.Org;

/// <summary>
/// The org tree, the users' places in it and the regions, held in memory by every silo for the permission checks of
/// requests and grains: no call leaves the silo, so no single grain sits on every request. The tables are the truth.
/// A change made through this silo reloads it at once (<see cref="ChangedAsync"/>) and stamps a new version in the
/// database; the other silos see the new stamp within <see cref="PollEvery"/> and reload.
/// </summary>
public sealed class OrgTreeCache(CrmDatabase database, ILogger<OrgTreeCache> logger) : BackgroundService
{
    /// <summary>How often a silo looks at the version stamp: how long another silo's change takes to reach it.</summary>
    public static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(1);

    private const string VersionKey = "org-tree-version";

    private static readonly TimeSpan ReloadAnyway = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile OrgTreeSnapshot? _tree;

    /// <summary>The whole tree as this silo holds it (units, users): for reports that walk a subtree.</summary>
    public async ValueTask<OrgTreeSnapshot> SnapshotAsync() => _tree ?? await LoadedAsync();

    /// <summary>
    /// A unit's path. A unit this silo does not know yet may have been created through another silo since the last poll
    /// (a pool's unit, whose customer's grain lives here): then the stamp is read now, as for <see cref="NamedMember"/>.
    /// </summary>
    public ValueTask<string?> PathOf(string orgUnitId) => KnownOrFreshAsync(tree => tree.Paths.GetValueOrDefault(orgUnitId));

    public async ValueTask<OrgMember?> Member(string userId) => (_tree ?? await LoadedAsync()).Members.GetValueOrDefault(userId);

    /// <summary>
    /// A user a request names (the signed-in one, a rep to assign to). One this silo does not know yet may have been added
    /// through another silo since the last poll (a rep created and signed in there a moment ago, whose first request comes
    /// here; a rep created there, whose new customer's grain lives here): then the version stamp is read now, and the tree
    /// reloaded if it moved, instead of refusing the request.
    /// </summary>
    public ValueTask<OrgMember?> NamedMember(string userId) => KnownOrFreshAsync(tree => tree.Members.GetValueOrDefault(userId));

    /// <summary>Looks in the tree held; when it does not know the thing asked for, reloads first if the version stamp moved.</summary>
    private async ValueTask<T?> KnownOrFreshAsync<T>(Func<OrgTreeSnapshot, T?> find) where T : class
    {
        var tree = _tree ?? await LoadedAsync();
        if (find(tree) is { } known)
        {
            return known;
        }

        if (await StampAsync() != tree.Version)
        {
            await ReloadAsync();
        }

        return find(_tree!);
    }

    /// <summary>The listed members of a pool that still count (<see cref="OrgPaths.Counts"/>), in the list's order.</summary>
    public async ValueTask<IReadOnlyList<string>> CountingMembers(IReadOnlyList<string> listed, string? poolUnitPath)
    {
        var tree = _tree ?? await LoadedAsync();
        return listed.Where(id => OrgPaths.Counts(tree.Members.GetValueOrDefault(id), poolUnitPath)).ToList();
    }

    /// <summary>The active users whose unit is <paramref name="orgUnitId"/> (not those below it).</summary>
    public async ValueTask<IReadOnlyList<OrgMember>> MembersOf(string orgUnitId) =>
        (_tree ?? await LoadedAsync()).Members.Values.Where(m => m.Active && m.OrgUnitId == orgUnitId).ToList();
    /// <summary>Every org unit's id.</summary>
    public async ValueTask<IReadOnlyList<string>> UnitIds() => (_tree ?? await LoadedAsync()).Paths.Keys.ToList();

    /// <summary>The managers and admins who watch a unit (see <see cref="OrgTreeSnapshot.WatchersOf"/>).</summary>
    public async ValueTask<IReadOnlyList<string>> WatchersOf(string orgUnitId) => (_tree ?? await LoadedAsync()).WatchersOf(orgUnitId);

    public async ValueTask<RegionDefinition?> RegionFor(string? address) => RegionMatcher.Match(address, (_tree ?? await LoadedAsync()).Regions);

    /// <summary>Units, users or regions changed: reload here now, and tell the other silos through a new version stamp.</summary>
    public async Task ChangedAsync()
    {
        await using (var connection = await database.OpenAsync())
        {
            await connection.ExecuteAsync(
                "INSERT INTO settings (key, value) VALUES (@key, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                new { key = VersionKey, value = Guid.NewGuid().ToString("N") });
        }

        await ReloadAsync();
    }

    public async Task ReloadAsync()
    {
        await _loading.WaitAsync();
        try
        {
            _tree = await OrgTreeSnapshot.ReadAsync(database, await StampAsync());
        }
        finally
        {
            _loading.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sinceReload = TimeSpan.Zero;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(PollEvery, stoppingToken);
                sinceReload += PollEvery;
                if (_tree is null || sinceReload >= ReloadAnyway || await StampAsync() != _tree.Version)
                {
                    sinceReload = TimeSpan.Zero;
                    await ReloadAsync();
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Could not refresh the org tree; the silo keeps the one it has and tries again");
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private async Task<OrgTreeSnapshot> LoadedAsync()
    {
        if (_tree is null)
        {
            await ReloadAsync();
        }

        return _tree!;
    }

    private async Task<string?> StampAsync()
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<string?>("SELECT value FROM settings WHERE key = @key", new { key = VersionKey });
    }
}
