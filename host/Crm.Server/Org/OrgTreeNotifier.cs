using Crm.Grains.Org;

namespace Crm.Server.Org;

/// <summary>
/// Tells the org tree that units, users or regions changed: this silo reloads before the request that changed them
/// answers, the other silos within a second (<see cref="OrgTreeCache"/>).
/// </summary>
public sealed class OrgTreeNotifier(OrgTreeCache tree)
{
    public Task ChangedAsync() => tree.ChangedAsync();
}
