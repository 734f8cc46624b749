using Crm.Grains.Org;

namespace Crm.Server.Org;

/// <summary>
/// Tells the org tree grain that units, users or regions changed, so that permission checks see the change on the
/// next request. Before the silo has started (the admin bootstrap) there is nothing to tell: the grain reads the
/// tables when it activates.
/// </summary>
public sealed class OrgTreeNotifier(IGrainFactory grains, IHostApplicationLifetime lifetime)
{
    public Task ChangedAsync() =>
        lifetime.ApplicationStarted.IsCancellationRequested ? grains.GetGrain<IOrgTreeGrain>(0).Reload() : Task.CompletedTask;
}
