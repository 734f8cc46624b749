namespace Crm.Grains.Assignment;

/// <summary>
/// Why a customer was assigned by a rule, for its timeline: the strategy that decided (the fallback when the pool's
/// strategy failed), its reason, what triggered it (a lead entering, a batch, a distribution) and who asked.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AssignmentNote(
    [property: Id(0)] string Strategy,
    [property: Id(1)] string Reason,
    [property: Id(2)] string Trigger,
    [property: Id(3)] bool FellBack,
    [property: Id(4)] string ActorId);
