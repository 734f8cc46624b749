namespace Crm.Server.Permissions;

/// <summary>One permission-relevant action: who did what to which user, unit, pool or customer, and the details.</summary>
public sealed record AuditEntry(string Id, DateTimeOffset At, string ActorId, string Action, string TargetType, string TargetId,
    IReadOnlyDictionary<string, string?> Details);
