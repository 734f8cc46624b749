using System.Diagnostics.CodeAnalysis;
using Crm.Client;

namespace Crm.Grains.Assignment;

/// <summary>
/// One lead's way through <see cref="AssignmentGrain"/>: whether it is the pool's to assign at all, the reps left out
/// (its reclaim protection, then each rep that refused it), why they refused and the strategies' faults, which make
/// the lead's reason when nobody takes it.
/// </summary>
public sealed class LeadTries(IEnumerable<string> protectedReps)
{
    private readonly List<string> _refusals = [];

    public HashSet<string> Excluded { get; } = new(protectedReps, StringComparer.Ordinal);

    public List<string> Faults { get; } = [];

    /// <summary>The refusals so far, as the lead's reason.</summary>
    public string Refusals => string.Join("; ", _refusals);

    /// <summary>Whether the lead is not this pool's to assign, and why.</summary>
    public static bool IsSkipped([NotNullWhen(false)] AssignmentLead? lead, string poolId, [NotNullWhen(true)] out string? why)
    {
        why = lead is null ? "the customer does not exist"
            : lead.PoolId != poolId ? "the customer is in another pool"
            : lead.OwnerId is not null ? $"already owned by {lead.OwnerId}"
            : !lead.IsOpen ? $"stage {lead.Stage.ToString().ToLowerInvariant()} is not assigned automatically"
            : null;
        return why is not null;
    }

    /// <summary>
    /// The chosen rep refused with <paramref name="code"/>. For capacity, reclaim protection, membership, region or duty
    /// the roster was behind (a claim elsewhere, the org tree, the lead's history): the rep is left out for this lead and
    /// the strategy chooses again (true). Any other refusal ends the tries (false).
    /// </summary>
    public bool LeaveOut(string repId, string code, RosterCache team)
    {
        switch (code)
        {
            case ErrorCodes.CapacityFull:
                // Our count was behind: the rep is full until the team is read again.
                team.MarkFull(repId);
                _refusals.Add($"{repId} is at capacity");
                break;
            case ErrorCodes.ReclaimProtected or ErrorCodes.NotAPoolMember or ErrorCodes.OutOfRegion or ErrorCodes.RepUnavailable:
                _refusals.Add($"{repId}: {code}");
                break;
            default:
                return false;
        }

        Excluded.Add(repId);
        return true;
    }

    /// <summary>Why no rep is left to choose from, after the refusals so far.</summary>
    public string NoCandidate(bool hasTeam, string? regionPath) => string.Join("; ", _refusals.Append(
        !hasTeam ? "the pool's team has no reps"
        : Excluded.Count > 0 && _refusals.Count == 0 ? "every rep on duty is blocked by reclaim protection"
        : regionPath is not null ? "no rep on duty covers the customer's region"
        : "no rep of the team is on duty"));
}
