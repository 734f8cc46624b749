using Crm.Client;

namespace Crm.Grains.Tasks;

/// <summary>
/// Spreads a task's customers over reps. A customer already owned by one of the reps stays with its owner (only the
/// owner can record its follow-ups); the others go in turn (<c>even</c>) or each to the rep carrying the least so far
/// (<c>capacity</c>: owned customers plus open task items, counting what this split gives). Ties go to the lower rep id.
/// When <c>eligible</c> names the reps that may take a customer (the pool members who may claim a lead), only those are
/// considered for it: in turn means the eligible rep with the fewest turns so far.
/// </summary>
public static class TaskSplitter
{
    public static IReadOnlyList<TaskAssignment> Split(
        IReadOnlyList<(Guid CustomerId, string? OwnerId)> customers, IReadOnlyList<string> reps, string mode,
        IReadOnlyDictionary<string, int>? load = null, IReadOnlyDictionary<Guid, IReadOnlySet<string>>? eligible = null)
    {
        var ordered = reps.Distinct().Order(StringComparer.Ordinal).ToList();
        var given = ordered.ToDictionary(r => r, _ => new List<Guid>());
        var carried = ordered.ToDictionary(r => r, r => load?.GetValueOrDefault(r) ?? 0);
        var turns = ordered.ToDictionary(r => r, _ => 0);
        foreach (var (customerId, ownerId) in customers)
        {
            var may = eligible?.GetValueOrDefault(customerId);
            var candidates = may is null ? ordered : ordered.Where(may.Contains).ToList();
            if (candidates.Count == 0)
            {
                throw new ArgumentException($"No rep may take customer {customerId}; refuse it before splitting.", nameof(eligible));
            }

            string rep;
            if (ownerId is not null && given.ContainsKey(ownerId))
            {
                rep = ownerId;
            }
            else if (mode == TaskSplitModes.Capacity)
            {
                rep = candidates.MinBy(r => (carried[r] + given[r].Count, r), Comparer<(int, string)>.Create(Compare))!;
            }
            else
            {
                // In turn: the rep that took the fewest of this split's turns, so a rep that may not take a lead keeps its place.
                rep = candidates.MinBy(r => (turns[r], r), Comparer<(int, string)>.Create(Compare))!;
                turns[rep]++;
            }

            given[rep].Add(customerId);
        }

        return given.Where(g => g.Value.Count > 0).Select(g => new TaskAssignment(g.Key, g.Value)).ToList();
    }

    private static int Compare((int Load, string Rep) a, (int Load, string Rep) b) =>
        a.Load != b.Load ? a.Load.CompareTo(b.Load) : string.CompareOrdinal(a.Rep, b.Rep);
}
