using Crm.Sdk;

namespace Crm.TestPlugins.Faulty;

/// <summary><c>picks-stranger</c>: answers a rep who is not a candidate.</summary>
public sealed class StrangerStrategy : IAssignmentStrategy
{
    public string Name => "picks-stranger";

    public AssignmentDecision Choose(AssignmentRequest request) => AssignmentDecision.Assign("nobody-we-know", "made up");
}
