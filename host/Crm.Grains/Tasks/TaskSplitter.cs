using Crm.Client;

namespace Crm.Grains.Tasks;

/// <summary>
/// Spreads a task's customers over reps. A customer already owned by one of the reps stays with its owner (only the
/// owner can record its follow-ups); the others go in turn (<c>even</c>) or each to the rep carrying the least so far
/// (<c>capacity</c>: owned customers plus open task items, counting what this split gives). Ties go to the lower rep id.
/// </summary>
public static class TaskSplitter
{
    public static IReadOnlyList<TaskAssignment> Split(
        IReadOnlyList<(Guid CustomerId, string? OwnerId)> customers, IReadOnlyList<string> reps, string mode,
        IReadOnlyDictionary<string, int>? load = null)
    {
        var ordered = reps.Distinct().Order(StringComparer.Ordinal).ToList();
        var given = ordered.ToDictionary(r => r, _ => new List<Guid>());
        var carried = ordered.ToDictionary(r => r, r => load?.GetValueOrDefault(r) ?? 0);
        var next = 0;
        foreach (var (customerId, ownerId) in customers)
        {
            string rep;
            if (ownerId is not null && given.ContainsKey(ownerId))
            {
                rep = ownerId;
            }
            else if (mode == TaskSplitModes.Capacity)
            {
                rep = ordered.MinBy(r => (carried[r] + given[r].Count, r), Comparer<(int, string)>.Create(Compare))!;
            }
            else
            {
                rep = ordered[next++ % ordered.Count];
            }

            given[rep].Add(customerId);
        }

        return given.Where(g => g.Value.Count > 0).Select(g => new TaskAssignment(g.Key, g.Value)).ToList();
    }

    private static int Compare((int Load, string Rep) a, (int Load, string Rep) b) =>
        a.Load != b.Load ? a.Load.CompareTo(b.Load) : string.CompareOrdinal(a.Rep, b.Rep);
}
