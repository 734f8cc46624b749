using System.ComponentModel.DataAnnotations;
namespace Crm.Client;

/// <summary>
/// One duplicate found for a lead: the existing customer, its owner, the key that matched (e.g. <c>phone</c>
/// <c>+8613800138000</c>), how sure the match is, and the action the pool's rule takes on it.
/// </summary>
public sealed record DuplicateMatchDto(
    Guid CustomerId,
    string? CustomerName,
    string? OwnerId,
    string? OwnerName,
    string Strategy,
    string KeyKind,
    string KeyValue,
    string Strength,
    double Score,
    string? Reason,
    string Action);

/// <summary>
/// The answer of <c>POST /api/customers/check</c>: would this lead be a duplicate, of whom, and what the pool would do.
/// <c>UnavailableStrategies</c> names the pool's strategies that could not answer (failing or too slow): when it is not
/// empty, "no duplicate" only means none was found by the others, and a creation now is queued for indexing later.
/// </summary>
public sealed record DedupCheckResponse(bool Duplicate, string Action, IReadOnlyList<DuplicateMatchDto> Matches,
    IReadOnlyList<string>? UnavailableStrategies = null)
{
    /// <summary>True when every strategy of the pool's rule answered.</summary>
    public bool Complete => UnavailableStrategies is not { Count: > 0 };
}

/// <summary>A manager's merge: <c>duplicateId</c> becomes an alias of the customer in the route, which keeps both histories.</summary>
public sealed record MergeRequest(Guid? DuplicateId, [property: MaxLength(500)] string? Reason = null);

/// <summary>An earlier customer a row duplicates: by which key, and the row of the same file that created it, if any.</summary>
public sealed record ImportDuplicateDto(Guid CustomerId, int? Row, string KeyKind, string KeyValue, string Strength, double Score);

/// <summary>
/// The result of one row of an import: <c>created</c> (with the customer id; <c>flagged</c> lists possible
/// duplicates the pool lets through), <c>duplicate</c> (of existing customers or of an earlier row of the file), or
/// <c>rejected</c> (field errors, or the refusal's code and message).
/// </summary>
public sealed record ImportRowResult(
    int Row,
    string Status,
    Guid? CustomerId,
    IReadOnlyList<ImportDuplicateDto> DuplicateOf,
    IReadOnlyDictionary<string, string[]>? Errors,
    string? Code = null,
    string? PoolId = null);

/// <summary>
/// The answer of <c>POST /api/customers/import</c>: totals and one result per data row, in file order. <c>Columns</c>
/// says which column fed each field; <c>IgnoredColumns</c> the columns no field took (their values were not stored: map
/// one with <c>mapping</c>, or define a custom field with its header as label).
/// </summary>
public sealed record ImportReport(
    string ImportId,
    string PoolId,
    int Total,
    int Created,
    int Duplicates,
    int Rejected,
    IReadOnlyDictionary<string, string> Columns,
    IReadOnlyList<ImportRowResult> Rows,
    IReadOnlyList<string>? IgnoredColumns = null);

/// <summary>
/// The answer of <c>GET /api/admin/dedup/status</c>: customers queued because a strategy failed (how many, since when,
/// the newest fault), the index's size, the latest reindex job, and the edited customers whose new card is not keyed yet
/// (<paramref name="EditsAwaitingKeys"/>: for a moment after each edit; one that stays names a failing strategy or a crash
/// the retrier has not caught up with).
/// </summary>
public sealed record DedupStatusDto(
    int Pending,
    DateTimeOffset? OldestPendingAt,
    double? OldestPendingAgeSeconds,
    DedupFaultDto? LastError,
    DedupIndexSizeDto Index,
    DedupReindexJobDto? Reindex,
    int EditsAwaitingKeys = 0);

/// <summary>The newest fault recorded on a queued customer.</summary>
public sealed record DedupFaultDto(DateTimeOffset At, string Message);

/// <summary>Customers with a comparison card in the index, and stored key entries.</summary>
public sealed record DedupIndexSizeDto(long Customers, long Keys);

/// <summary>
/// A reindex job (<c>POST /api/admin/dedup/reindex</c>): <c>running</c> or <c>finished</c>; of <c>total</c> customers
/// (counted at the start) <c>processed</c> are done, <c>changed</c> got new keys, <c>queued</c> met a failing strategy
/// and wait in the queue, <c>flagged</c> duplicate pairs were found.
/// </summary>
public sealed record DedupReindexJobDto(
    string Id,
    string Status,
    DateTimeOffset StartedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt,
    int Total,
    int Processed,
    int Changed,
    int Queued,
    int Flagged);
