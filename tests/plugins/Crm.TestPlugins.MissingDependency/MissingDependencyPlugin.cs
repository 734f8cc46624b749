using Crm.Sdk;
using Crm.TestPlugins.MissingDependency.Helper;

namespace Crm.TestPlugins.MissingDependency;

/// <summary>Needs its helper library in Register; staged without it, loading must fail with the file named.</summary>
public sealed class MissingDependencyPlugin : ICrmPlugin
{
    public string Name => "Broken.Dependency";

    public void Register(IPluginRegistry registry) => registry.AddAssignmentStrategy(new PricedStrategy(PricingRules.Describe()));
}
