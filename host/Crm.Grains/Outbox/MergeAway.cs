namespace Crm.Grains.Outbox;

/// <summary>A survivor took in <see cref="DuplicateId"/>: the duplicate becomes an alias that redirects to it (idempotent).</summary>
[GenerateSerializer, Immutable]
public sealed record MergeAway(Guid DuplicateId, Guid SurvivorId, string? Reason, string? ActorId) : OutboxEffect;
