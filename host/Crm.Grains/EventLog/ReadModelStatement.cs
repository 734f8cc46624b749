namespace Crm.Grains.EventLog;

/// <summary>
/// One read-model write that rides in a customer's commit (same transaction as its events): how a capability keeps
/// its own tables (locations, visits, ...) in step with the log without touching the commit code. <see cref="Sql"/>
/// runs through Dapper with <see cref="Args"/>; it must be idempotent (an upsert or a versioned update), because a
/// re-projection may write it again.
/// </summary>
public sealed record ReadModelStatement(string Sql, object Args);
