using Crm.Sdk;

namespace Crm.Plugins.Standard.Assignment;

/// <summary>What every standard strategy agrees on: who can take a lead at all, and the stable tie-break.</summary>
internal static class CandidateRules
{
    /// <summary>On duty and below capacity. The host enforces both again when it carries a decision out.</summary>
    public static bool CanTake(RepCandidate rep) => rep.IsActive && !rep.IsFull;

    /// <summary>Owned customers as a share of capacity; reps without a limit count their owned customers.</summary>
    public static double LoadShare(RepCandidate rep) =>
        rep.Capacity is > 0 and var capacity ? (double)rep.OwnedCount / capacity : rep.OwnedCount;

    public static AssignmentDecision NobodyAvailable(string strategy) =>
        AssignmentDecision.Nobody($"{strategy}: no rep is on duty with free capacity");

    /// <summary>Rep ids break every tie, so that the same input always gives the same rep.</summary>
    public static int CompareIds(RepCandidate a, RepCandidate b) => string.CompareOrdinal(a.RepId, b.RepId);

    public static bool Has(IReadOnlyList<string> values, string? wanted)
    {
        if (string.IsNullOrWhiteSpace(wanted))
        {
            return false;
        }

        // Indexing, not foreach: this runs per rep per decision, and an enumerator per call adds up.
        var trimmed = wanted.AsSpan().Trim();
        for (var i = 0; i < values.Count; i++)
        {
            if (trimmed.Equals(values[i], StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
