using System.ComponentModel.DataAnnotations;
namespace Crm.Client;

public sealed record CreateUserRequest([property: MaxLength(64)] string UserName, [property: MaxLength(128)] string Password, [property: MaxLength(100)] string DisplayName, Role? Role, [property: MaxLength(64)] string? OrgUnitId);

/// <summary>A user; <c>Active</c> is false once the user has left (it can no longer sign in).</summary>
public sealed record UserDto(string Id, string UserName, string DisplayName, Role Role, string? OrgUnitId, DateTimeOffset CreatedAt, bool Active = true);

/// <summary>
/// Changes a user (admin only); null fields stay as they are. When a rep moves to another unit or stops being a
/// rep, each customer of its private pool it may no longer own goes to <c>TransferToRepId</c> if given (and allowed),
/// otherwise back to its public pool.
/// </summary>
public sealed record UpdateUserRequest([property: MaxLength(100)] string? DisplayName = null, Role? Role = null, [property: MaxLength(64)] string? OrgUnitId = null, [property: MaxLength(64)] string? TransferToRepId = null);

/// <summary>A user leaves: its private pool goes to <c>TransferToRepId</c> if given (and allowed), otherwise back to the public pools.</summary>
public sealed record DepartureRequest([property: MaxLength(64)] string? TransferToRepId = null);

/// <summary>What happened to one customer of a private pool when its rep moved or left.</summary>
public sealed record HandoverItem(Guid CustomerId, HandoverOutcome Outcome, string? ToRepId = null, string? Code = null, string? Message = null);

public enum HandoverOutcome
{
    /// <summary>The rep may still own it where it now stands.</summary>
    Kept,
    Transferred,
    /// <summary>Back to its public pool (no transfer asked, or the transfer was refused: see the code).</summary>
    Released,
    /// <summary>Neither transferred nor released: the customer refused both (see the code); it stays with the rep.</summary>
    Failed,
}

/// <summary>The user after a change or departure, and what happened to each customer of its private pool.</summary>
public sealed record UserChangeResult(UserDto User, IReadOnlyList<HandoverItem> PrivatePool);
