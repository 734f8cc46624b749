using Crm.Grains.Common;

namespace Crm.Grains.Org;

/// <summary>
/// The org tree's one rule, "open downward, closed upward": a unit path '/root/region/team/' reaches every
/// path that starts with it.
/// </summary>
public static class OrgPaths
{
    public const string Root = "/";

    /// <summary>The scope of a user without a unit: no unit path starts with it.</summary>
    public const string Nowhere = "/~/";

    public static bool Reaches(string? scopePath, string? targetPath) =>
        scopePath is not null && targetPath is not null && targetPath.StartsWith(scopePath, StringComparison.Ordinal);

    /// <summary>
    /// Pool membership by the tree: a pool of a unit admits the reps of that unit and of the units below it. A member
    /// list narrows that to the listed reps, never beyond the pool's unit; <paramref name="countingMembers"/> is the list
    /// without the reps that no longer count (<see cref="Counts"/>), and a list in which nobody counts is no list.
    /// </summary>
    public static bool IsPoolMember(string repId, string? repPath, string? poolUnitPath, IReadOnlyCollection<string> countingMembers) =>
        Reaches(poolUnitPath, repPath) && (countingMembers.Count == 0 || countingMembers.Contains(repId));

    /// <summary>
    /// Whether a listed member still counts: an active rep under the pool's unit. One who left, stopped being a rep or
    /// moved out of the pool's branch is ignored, so that it neither keeps access nor shuts the pool for everyone.
    /// </summary>
    public static bool Counts(OrgMember? member, string? poolUnitPath) =>
        member is { Active: true, Role: UserRole.Rep } && Reaches(poolUnitPath, member.OrgUnitPath);
}
