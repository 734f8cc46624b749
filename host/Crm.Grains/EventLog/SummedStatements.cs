namespace Crm.Grains.EventLog;

/// <summary>
/// The commits of customers created together in one transaction, with their additions to counter rows summed: each
/// commit loses its guarded additions and the last carries one statement per row added to. An import of 250 leads by one
/// rep adds to that rep's day, week, month and quarter rows 250 times each; summed, four statements.
/// </summary>
public static class SummedStatements
{
    /// <remarks>Only for first commits written in one transaction that fails whole (their guards cannot hold yet).</remarks>
    public static List<CustomerCommit> Of(IReadOnlyList<CustomerCommit> commits)
    {
        var sums = new Dictionary<string, (SummedAddition Addition, long Amount)>(StringComparer.Ordinal);
        var lean = new List<CustomerCommit>(commits.Count);
        foreach (var commit in commits)
        {
            if (commit.Statements is not { } statements || !statements.Any(s => s.Summed is not null))
            {
                lean.Add(commit);
                continue;
            }

            foreach (var addition in statements.Select(s => s.Summed).OfType<SummedAddition>())
            {
                var row = addition.Sql + "\u001f" + string.Join('\u001f', addition.Key);
                sums[row] = sums.TryGetValue(row, out var sum) ? (sum.Addition, sum.Amount + addition.Amount) : (addition, addition.Amount);
            }

            lean.Add(commit with { Statements = statements.Where(s => s.Summed is null).ToList() });
        }

        if (sums.Count > 0)
        {
            var last = lean[^1];
            lean[^1] = last with
            {
                Statements = [.. last.Statements ?? [], .. sums.Values.Select(s => new CommitStatement(s.Addition.Sql, [.. s.Addition.Key, s.Amount]))],
            };
        }

        return lean;
    }
}
