using System.ComponentModel.DataAnnotations;
namespace Crm.Client;

/// <summary>A stage of a pipeline: a stable key, its name in Chinese, English and Russian, and its default win probability (0–100).</summary>
public sealed record PipelineStageDto([property: MaxLength(40)] string Key, LocalizedName Names, [property: Range(0, 100)] int Probability);

/// <summary>A stage or label name per language; at least one is given.</summary>
public sealed record LocalizedName([property: MaxLength(100)] string? Zh = null, [property: MaxLength(100)] string? En = null, [property: MaxLength(100)] string? Ru = null);

/// <summary>
/// A sales pipeline: its ordered stages. <see cref="OrgUnitId"/> null means company-wide. The default pipeline of a unit
/// (or of the company) is the one a deal gets when it names none.
/// </summary>
public sealed record PipelineDto(string Id, string Name, string? OrgUnitId, bool IsDefault, IReadOnlyList<PipelineStageDto> Stages,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record PipelineRequest([property: MaxLength(100)] string? Name, [property: MaxLength(64)] string? OrgUnitId, bool? IsDefault, [property: MaxLength(30)] IReadOnlyList<PipelineStageDto>? Stages);

/// <summary>A product of the catalogue that deal lines may name.</summary>
public sealed record ProductDto(string Id, string Name, string Sku, string? Unit, decimal ListPrice, string Currency, bool Active,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record ProductRequest([property: MaxLength(200)] string? Name, [property: MaxLength(64)] string? Sku, [property: MaxLength(32)] string? Unit, [property: Range(typeof(decimal), "0", "1000000000000")] decimal? ListPrice, [property: MaxLength(3)] string? Currency, bool? Active = true);

/// <summary>One reason a deal may be lost for (the list an admin keeps).</summary>
public sealed record LoseReasonDto([property: MaxLength(40)] string Key, LocalizedName Names, bool Active = true);

public sealed record LoseReasonsRequest([property: MaxLength(50)] IReadOnlyList<LoseReasonDto>? Reasons);

/// <summary>A line of a deal: a product (or free text), a quantity, a unit price and a discount in percent (0–100).</summary>
public sealed record DealLineRequest([property: MaxLength(64)] string? ProductId, [property: MaxLength(200)] string? Name, [property: Range(typeof(decimal), "0", "1000000")] decimal? Quantity, [property: Range(typeof(decimal), "0", "1000000000000")] decimal? UnitPrice, [property: Range(typeof(decimal), "0", "100")] decimal? Discount = null);

public sealed record DealLineDto(string? ProductId, string Name, decimal Quantity, decimal UnitPrice, decimal Discount, decimal Total);

/// <summary>
/// A new deal on a customer. <see cref="Amount"/> may be left out when lines are given (it is then their total);
/// <see cref="RepId"/> (the rep who works it, by default the customer's owner) may only be set by a manager.
/// </summary>
public sealed record CreateDealRequest(
    [property: MaxLength(200)] string? Title,
    [property: Range(typeof(decimal), "0", "1000000000000")] decimal? Amount,
    [property: MaxLength(3)] string? Currency,
    DateOnly? ExpectedCloseDate,
    [property: MaxLength(64)] string? PipelineId = null,
    [property: MaxLength(40)] string? StageKey = null,
    [property: Range(0, 100)] int? Probability = null,
    [property: MaxLength(100)] IReadOnlyList<DealLineRequest>? Lines = null,
    [property: MaxLength(64)] string? RepId = null,
    IReadOnlyDictionary<string, System.Text.Json.JsonElement>? CustomFields = null);

public enum DealStatus { Open, Won, Lost }

public sealed record DealDto(
    string Id,
    Guid CustomerId,
    string Title,
    decimal Amount,
    string Currency,
    string RepId,
    string PipelineId,
    string StageKey,
    int Probability,
    DealStatus Status,
    DateOnly? ExpectedCloseDate,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ClosedAt,
    string? LoseReason,
    IReadOnlyList<DealLineDto>? Lines = null,
    IReadOnlyDictionary<string, System.Text.Json.JsonElement>? CustomFields = null);

public sealed record DealStageRequest([property: MaxLength(40)] string? StageKey, [property: MaxLength(500)] string? Reason = null, [property: Range(0, 100)] int? Probability = null);

public sealed record WinDealRequest([property: Range(typeof(decimal), "0", "1000000000000")] decimal? Amount = null, DateTimeOffset? WonAt = null);

public sealed record LoseDealRequest([property: MaxLength(40)] string? Reason, [property: MaxLength(200)] string? Competitor = null, [property: MaxLength(2000)] string? Note = null);

public enum AttemptKind { Offer, Demo, Quote, Call, Visit }

public enum AttemptOutcome
{
    Accepted,
    Declined,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("no-answer")]
    NoAnswer,
    Postponed,
}

/// <summary>An attempt on a deal and its outcome: declined offers are data too, counted per stage and per rep.</summary>
public sealed record DealAttemptRequest(AttemptKind? Kind, AttemptOutcome? Outcome, [property: MaxLength(500)] string? Reason = null);

public sealed record DealAttemptDto(string DealId, Guid CustomerId, AttemptKind Kind, AttemptOutcome Outcome, string? Reason,
    string StageKey, string RepId, DateTimeOffset At);
