using Crm.Grains.Storage;
using Dapper;

namespace Crm.Server.Plugins;

/// <summary>
/// Makes a plugin reload reach every silo of a cluster. The silo that answers <c>POST /api/plugins/reload</c> reloads
/// at once and stamps a new plugins version in the database (table <c>settings</c>); every silo looks at the stamp
/// every <see cref="PollEvery"/> and reloads its own plugins directory when the stamp is not the one it loaded.
/// (Each silo loads from its own disk: deploy the new plugin files on every machine before the reload.)
/// </summary>
public sealed class PluginReloadBroadcast(PluginHost plugins, CrmDatabase database, ILogger<PluginReloadBroadcast> logger) : BackgroundService
{
    /// <summary>How often a silo looks at the stamp: how long another silo's reload takes to reach it.</summary>
    public static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(1);

    private const string VersionKey = "plugins-version";

    private readonly SemaphoreSlim _reloading = new(1, 1);
    private string? _loaded;

    /// <summary>Start-up: loads the plugins directory as of the current stamp.</summary>
    public void LoadAtStartUp()
    {
        _loaded = Stamp();
        plugins.Reload();
    }

    /// <summary>Reloads here now and tells the other silos through a new stamp; answers this silo's listing.</summary>
    public async Task<Crm.Client.PluginListDto> ReloadEverywhereAsync()
    {
        var stamp = Guid.NewGuid().ToString("N");
        await _reloading.WaitAsync();
        try
        {
            await using (var connection = await database.OpenAsync())
            {
                await connection.ExecuteAsync(
                    "INSERT INTO settings (key, value) VALUES (@key, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    new { key = VersionKey, value = stamp });
            }

            _loaded = stamp;
            return await Task.Run(plugins.Reload);
        }
        finally
        {
            _reloading.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(PollEvery, stoppingToken);
                await FollowAsync();
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Could not read the plugins version stamp; this silo keeps its plugins and tries again");
            }
        }
    }

    private async Task FollowAsync()
    {
        string? stamp;
        await using (var connection = await database.OpenAsync())
        {
            stamp = await connection.ExecuteScalarAsync<string?>("SELECT value FROM settings WHERE key = @key", new { key = VersionKey });
        }

        if (stamp == _loaded)
        {
            return;
        }

        await _reloading.WaitAsync();
        try
        {
            if (stamp != _loaded)
            {
                logger.LogInformation("Another silo reloaded the plugins (version {Stamp}): reloading here", stamp);
                _loaded = stamp;
                await Task.Run(plugins.Reload);
            }
        }
        finally
        {
            _reloading.Release();
        }
    }

    private string? Stamp()
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<string?>("SELECT value FROM settings WHERE key = @key", new { key = VersionKey });
    }
}
