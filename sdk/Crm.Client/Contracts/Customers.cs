using System.ComponentModel.DataAnnotations;
namespace Crm.Client;

public sealed record CreateCustomerRequest(
    [property: MaxLength(200)] string Name,
    [property: MaxLength(200)] string? Company = null,
    [property: MaxLength(40)] string? Phone = null,
    [property: MaxLength(254)] string? Email = null,
    [property: MaxLength(64)] string? TaxId = null,
    [property: MaxLength(500)] string? Address = null,
    [property: MaxLength(100)] string? Source = null,
    [property: Required, MaxLength(64)] string? PoolId = null,
    [property: MaxLength(64)] string? OwnerId = null,
    [property: MaxLength(100)] string? Industry = null,
    [property: MaxLength(100)] string? Region = null,
    [property: MaxLength(35)] string? Language = null,
    IReadOnlyDictionary<string, System.Text.Json.JsonElement>? CustomFields = null);

/// <summary>
/// An edit of a customer's details (<c>PATCH /api/customers/{id}</c>): a field left out (or null) stays as it is, an
/// empty string clears it; the name cannot be cleared.
/// </summary>
public sealed record EditCustomerRequest(
    [property: MaxLength(200)] string? Name = null,
    [property: MaxLength(200)] string? Company = null,
    [property: MaxLength(40)] string? Phone = null,
    [property: MaxLength(254)] string? Email = null,
    [property: MaxLength(64)] string? TaxId = null,
    [property: MaxLength(500)] string? Address = null,
    [property: MaxLength(100)] string? Source = null,
    [property: MaxLength(100)] string? Industry = null,
    [property: MaxLength(100)] string? Region = null,
    [property: MaxLength(35)] string? Language = null);

public sealed record CustomerDto(
    Guid Id,
    string Name,
    string? Company,
    string? Phone,
    string? Email,
    string? TaxId,
    string? Address,
    string? Source,
    Stage Stage,
    string PoolId,
    string? OwnerId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LastFollowUpAt,
    long Version,
    string? Industry = null,
    string? Region = null,
    string? Language = null,
    string? Level = null,
    IReadOnlyDictionary<string, System.Text.Json.JsonElement>? CustomFields = null);

/// <summary>
/// One entry of a customer's history: who did what, when and why. <see cref="Seq"/> numbers the customer's own events;
/// <see cref="Position"/> is the entry's place in the server's log, the timeline's paging cursor.
/// </summary>
public sealed record TimelineEntryDto(
    int Seq,
    DateTimeOffset At,
    string Kind,
    string? ActorId,
    string? Reason,
    string? Text,
    IReadOnlyDictionary<string, string?> Data,
    long Position = 0);

/// <summary>
/// A page of a customer's timeline, newest first. <see cref="NextBefore"/> is the cursor of the next (older) page
/// (<c>?before=</c>), or null when this page reaches the beginning.
/// </summary>
public sealed record TimelinePage(IReadOnlyList<TimelineEntryDto> Items, string? NextBefore);

public sealed record ReleaseRequest([property: MaxLength(500)] string? Reason);

public sealed record AssignRequest([property: MaxLength(64)] string? RepId, [property: MaxLength(500)] string? Reason = null);

public sealed record FollowUpRequest(FollowUpType? Type, [property: MaxLength(200)] string? Outcome, [property: MaxLength(4000)] string? Text = null, DateTimeOffset? At = null, [property: MaxLength(500)] string? Location = null);

public sealed record StageChangeRequest(Stage? Stage, [property: MaxLength(500)] string? Reason = null);

/// <summary>
/// A page of a list: the items of this page and the total across all pages. The customer lists also answer
/// <paramref name="NextAfter"/> while there may be more: pass it as <c>after</c> (instead of <c>page</c>) for the next
/// page, which then starts right after this one's last item however many items arrived or left meanwhile; null on the last
/// page (and absent from lists that page by offset only).
/// </summary>
public sealed record Page<T>(IReadOnlyList<T> Items, long Total,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? NextAfter = null);
