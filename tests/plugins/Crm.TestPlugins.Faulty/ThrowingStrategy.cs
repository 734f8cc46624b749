using Crm.Sdk;

namespace Crm.TestPlugins.Faulty;

/// <summary><c>always-throws</c>.</summary>
public sealed class ThrowingStrategy : IAssignmentStrategy
{
    public string Name => "always-throws";

    public AssignmentDecision Choose(AssignmentRequest request) => throw new InvalidOperationException("scoring service unreachable");
}
