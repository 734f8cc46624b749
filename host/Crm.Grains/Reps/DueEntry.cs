namespace Crm.Grains.Reps;

/// <summary>A customer of the private pool with its recycle deadline, as <c>GET /api/reps/{id}/due</c> lists it.</summary>
[GenerateSerializer, Immutable]
public sealed record DueEntry(Guid CustomerId, string PoolId, DateTimeOffset DropsAt, string Reason, IReadOnlyList<int> WarningsSent);
