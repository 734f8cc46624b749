using Crm.Sdk;

namespace Crm.Plugins.Standard.Assignment;

/// <summary>The standard assignment strategies; the composite can chain any of the others as its final picker.</summary>
public static class AssignmentStrategies
{
    public static IReadOnlyList<IAssignmentStrategy> All()
    {
        IAssignmentStrategy[] pickers =
        [
            new RoundRobinStrategy(),
            new LeastLoadedStrategy(),
            new WeightedCapacityStrategy(),
            new ProfileMatchStrategy(),
            new RegionOwnershipStrategy(),
            new NewRepBoostStrategy(),
        ];
        var composite = new CompositeStrategy(pickers.ToDictionary(p => p.Name));
        return [.. pickers, composite];
    }
}
