using Crm.Grains.Metrics;
using Crm.Grains.Org;

namespace Crm.Grains.Leaderboards;

/// <summary>Which boards a rep's figures appear on, and the live channel of each board.</summary>
public static class LeaderboardBoards
{
    /// <summary>The key of the whole company's board (every top unit, every rep).</summary>
    public const string Company = "company";

    private const string ChannelPrefix = "leaderboard:";

    /// <summary>
    /// The push channel of a board: live only, no user's message center keeps it (PushChannels.RecipientsAsync has
    /// nobody for it), so only the connections that watch the board hear it.
    /// </summary>
    public static string Channel(string board) => ChannelPrefix + board;

    /// <summary>The rep's unit, every unit above it, and the company: the boards whose figures the rep's events move.</summary>
    public static IReadOnlyList<string> Of(OrgMember? rep)
    {
        var boards = new List<string> { Company };
        if (rep?.OrgUnitPath is { } path)
        {
            boards.AddRange(path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(unit => unit != "~"));
        }

        return boards;
    }

    /// <summary>The metrics each rep's commit moves, from the same rules as the metrics projection.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Touched(IEnumerable<Customers.Events.CustomerEvent> events)
    {
        var touched = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (MetricProjection.CreditedRep(e) is not { } rep)
            {
                continue;
            }

            if (!touched.TryGetValue(rep, out var metrics))
            {
                touched[rep] = metrics = new SortedSet<string>(StringComparer.Ordinal);
            }

            metrics.UnionWith(MetricProjection.MetricsOf(e));
        }

        return touched.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value.ToList(), StringComparer.Ordinal);
    }
}
