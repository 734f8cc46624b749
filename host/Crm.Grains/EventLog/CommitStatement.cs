namespace Crm.Grains.EventLog;

/// <summary>
/// One read-model statement that rides in a customer's commit: SQL with positional parameters <c>@p0, @p1, …</c> and
/// their values (strings, integers or null). Prepared once per statement text on the writer's connection.
/// </summary>
public sealed record CommitStatement(string Sql, params object?[] Values)
{
    /// <summary>
    /// For a statement that adds an amount to a counter row: the same addition without the guard that makes a second
    /// write of the commit add nothing. A batch of customers created at once (an import: each commit is written once, in
    /// one transaction, or not at all) writes one of these per row it adds to, with the amounts summed
    /// (<see cref="SummedStatements"/>), instead of one guarded statement per customer.
    /// </summary>
    public SummedAddition? Summed { get; init; }
}

/// <summary>An addition of <paramref name="Amount"/> to the row named by <paramref name="Key"/>: <paramref name="Sql"/> takes the key's values, then the amount.</summary>
public sealed record SummedAddition(string Sql, object?[] Key, long Amount);
