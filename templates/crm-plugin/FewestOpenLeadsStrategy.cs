using Crm.Sdk;

namespace CrmPlugin1;

/// <summary>
/// <c>crmplugin1-fewest-today</c>: the active rep with room who received the fewest leads today, then the one who owns
/// the fewest customers. Pools select it by name (<c>"assignment": { "strategy": "crmplugin1-fewest-today" }</c>).
/// </summary>
public sealed class FewestOpenLeadsStrategy : IAssignmentStrategy
{
    public string Name => "crmplugin1-fewest-today";

    public AssignmentDecision Choose(AssignmentRequest request)
    {
        var rep = request.Candidates
            .Where(c => c.IsActive && !c.IsFull)
            .OrderBy(c => c.ReceivedToday)
            .ThenBy(c => c.OwnedCount)
            .ThenBy(c => c.RepId, StringComparer.Ordinal)
            .FirstOrDefault();
        return rep is null
            ? AssignmentDecision.Nobody("no active rep with room")
            : AssignmentDecision.Assign(rep.RepId, $"fewest leads today ({rep.ReceivedToday})");
    }
}
