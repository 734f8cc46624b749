using Crm.Sdk;

namespace Crm.TestPlugins.Faulty;

/// <summary><c>hangs</c>: blocks for <c>hangMs</c> (default 20 s) before answering, far past any budget.</summary>
public sealed class HangingStrategy : IAssignmentStrategy
{
    public string Name => "hangs";

    public AssignmentDecision Choose(AssignmentRequest request)
    {
        Thread.Sleep(int.Parse(request.Pool.Options.GetValueOrDefault("hangMs", "20000")));
        return AssignmentDecision.Assign(request.Candidates[0].RepId, "too late");
    }
}
