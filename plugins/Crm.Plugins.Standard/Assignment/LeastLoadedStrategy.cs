using Crm.Sdk;

namespace Crm.Plugins.Standard.Assignment;

/// <summary>
/// <c>least-loaded</c>: the rep who owns the fewest customers; ties go to the one who received fewest today, then
/// to the lowest rep id, so the choice is deterministic.
/// </summary>
public sealed class LeastLoadedStrategy : IAssignmentStrategy
{
    public string Name => "least-loaded";

    public AssignmentDecision Choose(AssignmentRequest request)
    {
        var chosen = request.Candidates.Eligible()
            .OrderBy(c => c.OwnedCount)
            .ThenBy(c => c.ReceivedToday)
            .ThenBy(c => c.RepId, StringComparer.Ordinal)
            .FirstOrDefault();
        return chosen is null
            ? AssignmentDecision.Nobody("no active rep has room")
            : AssignmentDecision.Assign(chosen.RepId, $"least loaded ({chosen.OwnedCount} owned)");
    }
}
