namespace Crm.Client;

/// <summary>
/// Pushed to the pool's org unit (its managers) when automatic assignment could not hand a lead to any rep; the lead
/// stays in the public pool. Pushed again only when the reason changes.
/// </summary>
public sealed record LeadUnassigned(Guid CustomerId, DateTimeOffset At, string PoolId, string Reason) : ICrmEvent;
