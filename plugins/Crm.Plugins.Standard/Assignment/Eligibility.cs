using Crm.Sdk;

namespace Crm.Plugins.Standard.Assignment;

/// <summary>Who may receive a lead at all: active reps with room left.</summary>
internal static class Eligibility
{
    public static IEnumerable<RepCandidate> Eligible(this IEnumerable<RepCandidate> candidates) =>
        candidates.Where(c => c.IsActive && !c.IsFull);
}
