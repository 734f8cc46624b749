using Crm.Sdk;

namespace Crm.Plugins.Standard.Assignment;

/// <summary>
/// <c>round-robin</c>: reps take turns in rep-id order. The cursor is the last rep served (kept by the host as the
/// strategy state), so turns survive restarts and reps joining or leaving the team do not reset them.
/// </summary>
public sealed class RoundRobinStrategy : IAssignmentStrategy
{
    public string Name => "round-robin";

    public AssignmentDecision Choose(AssignmentRequest request)
    {
        var eligible = request.Candidates.Eligible().OrderBy(c => c.RepId, StringComparer.Ordinal).ToList();
        if (eligible.Count == 0)
        {
            return AssignmentDecision.Nobody("no active rep has room", request.Pool.StrategyState);
        }

        var last = request.Pool.StrategyState;
        var next = last is null
            ? eligible[0]
            : eligible.FirstOrDefault(c => string.CompareOrdinal(c.RepId, last) > 0) ?? eligible[0];
        return AssignmentDecision.Assign(next.RepId, "round-robin turn", next.RepId);
    }
}
