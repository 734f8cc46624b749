namespace Crm.Grains.Reps;

/// <summary>What one sweep of a private pool found due: warnings to send and customers to ask to recycle.</summary>
public sealed record SweepPlan(IReadOnlyList<RecycleWarningDue> Warnings, IReadOnlyList<Guid> ToRecycle)
{
    public bool IsEmpty => Warnings.Count == 0 && ToRecycle.Count == 0;
}
