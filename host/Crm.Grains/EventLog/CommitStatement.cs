namespace Crm.Grains.EventLog;

/// <summary>
/// One read-model statement that rides in a customer's commit: SQL with positional parameters <c>@p0, @p1, …</c> and
/// their values (strings, integers or null). Prepared once per statement text on the writer's connection.
/// </summary>
public sealed record CommitStatement(string Sql, params object?[] Values);
