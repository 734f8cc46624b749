using Crm.Sdk;

namespace Crm.TestPlugins.Versioned;

public sealed class VersionedPlugin : ICrmPlugin
{
    public string Name => "Versioned";

    public void Register(IPluginRegistry registry) => registry.AddAssignmentStrategy(new VersionedStrategy());
}
