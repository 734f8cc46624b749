using Crm.Grains.Pools;

namespace Crm.Grains.Outbox;

/// <summary>A claim looked like a release/claim pattern between reps: the pool records the case (once).</summary>
[GenerateSerializer, Immutable]
public sealed record ReportCollusion(string PoolId, CollusionCase Case) : OutboxEffect;
