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
    /// Pool membership by the tree: a pool of a unit admits the reps of that unit and of the units below it,
    /// unless it lists its members, then only those.
    /// </summary>
    public static bool IsPoolMember(string repId, string? repPath, string? poolUnitPath, IReadOnlyCollection<string> members) =>
        members.Count > 0 ? members.Contains(repId) : Reaches(poolUnitPath, repPath);
}
