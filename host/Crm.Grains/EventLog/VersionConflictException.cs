namespace Crm.Grains.EventLog;

/// <summary>
/// The stored snapshot was not at the version the grain expected: another activation of the same customer
/// committed first (possible for a moment while a cluster recovers from a lost silo). Nothing of this commit was kept.
/// </summary>
public sealed class VersionConflictException(string customerId, long expected)
    : Exception($"Customer '{customerId}' is no longer at version {expected}: another activation committed first. Nothing was changed; retry.");
