namespace Crm.Client;

/// <summary>
/// The automatic pool a customer sits in besides its owner (DOMAIN.md, "Status pools"): nurturing (lead or
/// opportunity, still to be grown), success (bought), failure (lost), invalid (junk or dead).
/// </summary>
public enum StatusPool { Nurturing, Success, Failure, Invalid }

/// <summary>How many customers of one public pool and one owner (null: unowned) sit in each status pool.</summary>
public sealed record StatusPoolCountDto(string PoolId, string? OwnerId, long Nurturing, long Success, long Failure, long Invalid);
