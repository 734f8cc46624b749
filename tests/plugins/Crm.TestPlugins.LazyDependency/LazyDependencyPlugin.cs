using Crm.Sdk;
using Crm.TestPlugins.MissingDependency.Helper;

namespace Crm.TestPlugins.LazyDependency;

/// <summary>
/// Needs its helper library only when its strategy runs, never in Register: staged without the helper, loading must
/// still fail with the file named, not succeed and fault on every call.
/// </summary>
public sealed class LazyDependencyPlugin : ICrmPlugin
{
    public string Name => "Lazy.Dependency";

    public void Register(IPluginRegistry registry) => registry.AddAssignmentStrategy(new LazyPricedStrategy());
}

public sealed class LazyPricedStrategy : IAssignmentStrategy
{
    public string Name => "lazy-priced";

    public AssignmentDecision Choose(AssignmentRequest request) => AssignmentDecision.Nobody(PricingRules.Describe());
}
