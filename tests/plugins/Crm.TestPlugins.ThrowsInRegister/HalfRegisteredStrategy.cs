using Crm.Sdk;

namespace Crm.TestPlugins.ThrowsInRegister;

public sealed class HalfRegisteredStrategy : IAssignmentStrategy
{
    public string Name => "half-registered";

    public AssignmentDecision Choose(AssignmentRequest request) => AssignmentDecision.Nobody("never used");
}
