using Crm.Grains.Common;
using Crm.Grains.Customers;

namespace Crm.Grains.Assignment;

/// <summary>
/// A customer as automatic assignment needs it: the card strategies see (as a snapshot), where it is and who owns it, and the
/// reps its reclaim protection still blocks (they are left out of the candidates).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AssignmentLead(
    [property: Id(0)] LeadCard Card,
    [property: Id(1)] string PoolId,
    [property: Id(2)] string? OwnerId,
    [property: Id(3)] CustomerStage Stage,
    [property: Id(4)] IReadOnlyList<string> ProtectedReps,
    [property: Id(5)] string? RegionUnitId)
{
    /// <summary>Only open leads and opportunities are handed out automatically; customers, lost and junk are not.</summary>
    public bool IsOpen => Stage is CustomerStage.Lead or CustomerStage.Opportunity;
}
