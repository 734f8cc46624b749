using System.Collections.Concurrent;
using Crm.Grains.Storage;
using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Crm.Grains.Pools;

/// <summary>
/// What commands and requests read of a pool (its info, its access list and rules), kept by every silo so that a claim or
/// a create does not call the pool's grain, one activation per pool on one silo of the cluster. A pool grain that changes
/// tells its own silo at once (<see cref="ChangedAsync"/>) and stamps a new version in the database; the other silos see
/// the stamp within <see cref="PollEvery"/> and forget every pool. The API forgets the pool it just changed, so a user
/// reads their own change on whichever silo they are.
/// </summary>
public sealed class PoolDirectory(IGrainFactory grains, CrmDatabase database, ILogger<PoolDirectory> logger) : BackgroundService
{
    /// <summary>How often a silo looks at the version stamp: how long another silo's change takes to reach it.</summary>
    public static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(1);

    private const string VersionKey = "pools-version";

    private readonly ConcurrentDictionary<string, Task<PoolInfo?>> _info = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<PoolAccess?>> _access = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<PoolRulesSnapshot?>> _rules = new(StringComparer.Ordinal);
    private string? _stamp;

    public Task<PoolInfo?> InfoAsync(string poolId) => Cached(_info, poolId, id => grains.GetGrain<IPoolGrain>(id).Get());

    public Task<PoolAccess?> AccessAsync(string poolId) => Cached(_access, poolId, id => grains.GetGrain<IPoolGrain>(id).GetAccess());

    /// <summary>A pool's rules with their version: what rep grains compute deadlines from, without a call to the pool per look.</summary>
    public Task<PoolRulesSnapshot?> RulesAsync(string poolId) => Cached(_rules, poolId, id => grains.GetGrain<IPoolGrain>(id).GetRules());

    /// <summary>A pool changed on this silo: forget it here now, and tell the other silos through a new version stamp.</summary>
    public async Task ChangedAsync(string poolId)
    {
        Forget(poolId);
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync(
            "INSERT INTO settings (key, value) VALUES (@key, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            new { key = VersionKey, value = Guid.NewGuid().ToString("N") });
    }

    public void Forget(string poolId)
    {
        _info.TryRemove(poolId, out _);
        _access.TryRemove(poolId, out _);
        _rules.TryRemove(poolId, out _);
    }

    private static async Task<T?> Cached<T>(ConcurrentDictionary<string, Task<T?>> cache, string poolId, Func<string, Task<T?>> load) where T : class
    {
        var loading = cache.GetOrAdd(poolId, load);
        try
        {
            var value = await loading;
            if (value is null)
            {
                // Not kept: a pool that does not exist yet may be created through another silo at any moment.
                cache.TryRemove(new KeyValuePair<string, Task<T?>>(poolId, loading));
            }

            return value;
        }
        catch
        {
            cache.TryRemove(new KeyValuePair<string, Task<T?>>(poolId, loading));
            throw;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(PollEvery, stoppingToken);
                await using var connection = await database.OpenAsync();
                var stamp = await connection.ExecuteScalarAsync<string?>("SELECT value FROM settings WHERE key = @key", new { key = VersionKey });
                if (stamp != _stamp)
                {
                    _stamp = stamp;
                    _info.Clear();
                    _access.Clear();
                    _rules.Clear();
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Could not look at the pools' version stamp; this silo keeps what it has and tries again");
            }
        }
    }
}
