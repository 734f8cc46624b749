namespace Crm.Grains.Plugins;

/// <summary>
/// One strategy of one loaded plugin version, held for the length of a call. While any lease is open, the plugin
/// version it came from stays loaded, so a call in flight during a reload finishes on the version it started on.
/// </summary>
public sealed class StrategyLease<T>(T strategy, string pluginName, StrategyHealth health, Action release) : IDisposable
    where T : class
{
    private int _released;

    public T Strategy { get; } = strategy;

    public string PluginName { get; } = pluginName;

    public StrategyHealth Health { get; } = health;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            release();
        }
    }
}
