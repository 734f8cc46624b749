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
        var sums = new Dictionary<SummedAddition, long>(SameRow.Instance);
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
                // The first addition to a row stands for the row (an existing key is kept when its sum is set).
                sums[addition] = sums.GetValueOrDefault(addition) + addition.Amount;
            }

            lean.Add(commit with { Statements = statements.Where(s => s.Summed is null).ToList() });
        }

        if (sums.Count > 0)
        {
            var last = lean[^1];
            lean[^1] = last with
            {
                Statements = [.. last.Statements ?? [], .. sums.Select(s => new CommitStatement(s.Key.Sql, [.. s.Key.Key, s.Value]))],
            };
        }

        return lean;
    }

    /// <summary>Additions to the same row: the same statement and key values (the amounts aside).</summary>
    private sealed class SameRow : IEqualityComparer<SummedAddition>
    {
        public static readonly SameRow Instance = new();

        public bool Equals(SummedAddition? x, SummedAddition? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null && x.Sql == y.Sql && x.Key.AsSpan().SequenceEqual(y.Key));

        public int GetHashCode(SummedAddition addition)
        {
            var hash = new HashCode();
            hash.Add(addition.Sql);
            foreach (var value in addition.Key)
            {
                hash.Add(value);
            }

            return hash.ToHashCode();
        }
    }
}
