using Crm.Grains.EventLog;

namespace Crm.Tests.EventLog;

/// <summary>
/// Leads created together add to the same counter rows (the importer's day and periods): the batch's commits lose their
/// guarded additions and the last one carries one addition per row, the amounts summed. Nothing else moves.
/// </summary>
public sealed class SummedStatementsTests
{
    private const string AddDay = "UPDATE day_totals SET n = n + @p4 WHERE rep = @p0 AND day = @p1 AND metric = @p2 AND currency = @p3";
    private const string AddPeriods = "UPDATE period_totals SET n = n + @p5 WHERE metric = @p0 AND week = @p1 AND month = @p2 AND quarter = @p3 AND rep = @p4";
    private const string Fact = "INSERT INTO facts VALUES (@p0)";

    [Fact]
    public void Additions_to_one_row_are_summed_into_the_last_commit_and_other_statements_stay_where_they_were()
    {
        var first = Commit("c1", Addition(AddDay, ["rep-1", "2026-03-02", "leads", ""], 1), Addition(AddPeriods, ["leads", "2026-W10", "2026-03", "2026-Q1", "rep-1"], 1), Plain("c1"));
        var second = Commit("c2", Addition(AddDay, ["rep-1", "2026-03-02", "leads", ""], 1), Plain("c2"));
        var third = Commit("c3", Addition(AddDay, ["rep-2", "2026-03-02", "leads", ""], 1), Addition(AddDay, ["rep-1", "2026-03-03", "leads", ""], 1));
        var fourth = Commit("c4", Addition(AddDay, ["rep-1", "2026-03-02", "leads", ""], 5), Addition(AddDay, ["rep-1", "2026-03-02", "amount", "CNY"], 7));
        // The same key values under another statement are another row.
        var plain = Commit("c5", Plain("c5"), Addition(AddPeriods, ["rep-1", "2026-03-02", "leads", ""], 3));

        var lean = SummedStatements.Of([first, second, third, fourth, plain]);

        Assert.Equal(["c1", "c2", "c3", "c4", "c5"], lean.Select(c => c.CustomerId));
        Assert.All(lean, c => Assert.DoesNotContain(c.Statements ?? [], s => s.Summed is not null));
        Assert.Equal([Fact], lean[0].Statements!.Select(s => s.Sql));
        Assert.Equal([Fact], lean[1].Statements!.Select(s => s.Sql));
        Assert.Empty(lean[2].Statements!);
        Assert.Empty(lean[3].Statements!);
        Assert.Equal([Fact], lean[4].Statements!.Take(1).Select(s => s.Sql));

        // One statement per row, its key's values then the sum, in the order the rows were first added to.
        var sums = lean[4].Statements!.Skip(1).Select(s => $"{(s.Sql == AddDay ? "day" : "periods")} {string.Join(' ', s.Values)}").ToList();
        Assert.Equal(
        [
            "day rep-1 2026-03-02 leads  7",
            "periods leads 2026-W10 2026-03 2026-Q1 rep-1 1",
            "day rep-2 2026-03-02 leads  1",
            "day rep-1 2026-03-03 leads  1",
            "day rep-1 2026-03-02 amount CNY 7",
            "periods rep-1 2026-03-02 leads  3",
        ], sums);
    }

    [Fact]
    public void Commits_without_additions_are_left_as_they_are()
    {
        var commits = new[] { Commit("c1", Plain("c1")), Commit("c2") };

        var lean = SummedStatements.Of(commits);

        Assert.Same(commits[0], lean[0]);
        Assert.Same(commits[1], lean[1]);
    }

    private static CommitStatement Addition(string sql, object?[] key, long amount) =>
        new(sql.Replace("UPDATE", "INSERT"), [.. key, amount, "guard"]) { Summed = new SummedAddition(sql, key, amount) };

    private static CommitStatement Plain(string id) => new(Fact, id);

    private static CustomerCommit Commit(string id, params CommitStatement[] statements) =>
        new(id, 0, 1, [1], 1_767_000_000_000, [], null, null, [], null, statements);
}
