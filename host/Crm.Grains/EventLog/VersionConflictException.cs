namespace Crm.Grains.EventLog;

/// <summary>
/// The stored snapshot was not at the version the grain expected: another activation of the same customer
/// committed first (possible for a moment while a cluster recovers from a lost silo). Nothing of this commit was kept.
/// </summary>
public sealed class VersionConflictException : Exception
{
    public VersionConflictException(string customerId, long expected)
        : base($"Customer '{customerId}' is no longer at version {expected}: another activation committed first. Nothing was changed; retry.")
    {
    }

    /// <summary>Some of many commits written by one statement were stale; which ones, each commit alone tells.</summary>
    public VersionConflictException(int stale, int commits)
        : base($"{stale} of {commits} customers were no longer at the version expected: another activation committed first. Nothing was changed; retry.")
    {
    }
}
