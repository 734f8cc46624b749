using Crm.Sdk;

namespace Crm.TestPlugins.MissingDependency;

public sealed class PricedStrategy(string rules) : IAssignmentStrategy
{
    public string Name => "priced";

    public AssignmentDecision Choose(AssignmentRequest request) => AssignmentDecision.Nobody(rules);
}
