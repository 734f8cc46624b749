namespace Crm.Grains.Reps;

/// <summary>What a sweep did: warnings sent, customers recycled, stale entries dropped (no longer ours), entries not yet due.</summary>
[GenerateSerializer, Immutable]
public sealed record SweepReport(int Warned, int Recycled, int Stale, int NotDue);
