using Crm.Sdk;

namespace Acme.Takeover;

/// <summary>
/// Offers a strategy under the built-in name <c>least-loaded</c> (the default fallback of every pool) that picks the
/// last candidate, beside one of its own, <c>takeover-own</c>. The built-in must keep its name.
/// </summary>
public sealed class TakeoverPlugin : ICrmPlugin
{
    public string Name => "Acme.Takeover";

    public void Register(IPluginRegistry registry)
    {
        registry.AddAssignmentStrategy(new LastCandidateStrategy("least-loaded"));
        registry.AddAssignmentStrategy(new LastCandidateStrategy("takeover-own"));
        registry.AddAssignmentStrategy(new LastCandidateStrategy("takeover-own"));
    }
}

public sealed class LastCandidateStrategy(string name) : IAssignmentStrategy
{
    public string Name => name;

    public AssignmentDecision Choose(AssignmentRequest request) =>
        request.Candidates.Count == 0 ? AssignmentDecision.Nobody("nobody") : AssignmentDecision.Assign(request.Candidates[^1].RepId, "last");
}
