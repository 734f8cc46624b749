using Crm.Sdk;

namespace Crm.TestPlugins.Good;

/// <summary><c>senior-first</c>: the most senior active rep with room.</summary>
public sealed class SeniorFirstStrategy : IAssignmentStrategy
{
    public string Name => "senior-first";

    public AssignmentDecision Choose(AssignmentRequest request) =>
        request.Candidates.Where(c => c.IsActive && !c.IsFull).OrderByDescending(c => c.Seniority).ThenBy(c => c.RepId, StringComparer.Ordinal).FirstOrDefault() is { } rep
            ? AssignmentDecision.Assign(rep.RepId, $"most senior (level {rep.Seniority})")
            : AssignmentDecision.Nobody("nobody free");
}
