namespace Crm.Client;

/// <summary>A stage of a pipeline: a stable key, its name in Chinese, English and Russian, and its default win probability (0–100).</summary>
public sealed record PipelineStageDto(string Key, LocalizedName Names, int Probability);

/// <summary>A stage or label name per language; at least one is given.</summary>
public sealed record LocalizedName(string? Zh = null, string? En = null, string? Ru = null);

/// <summary>
/// A sales pipeline: its ordered stages. <see cref="OrgUnitId"/> null means company-wide. The default pipeline of a unit
/// (or of the company) is the one a deal gets when it names none.
/// </summary>
public sealed record PipelineDto(string Id, string Name, string? OrgUnitId, bool IsDefault, IReadOnlyList<PipelineStageDto> Stages,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record PipelineRequest(string? Name, string? OrgUnitId, bool? IsDefault, IReadOnlyList<PipelineStageDto>? Stages);

/// <summary>A product of the catalogue that deal lines may name.</summary>
public sealed record ProductDto(string Id, string Name, string Sku, string? Unit, decimal ListPrice, string Currency, bool Active,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record ProductRequest(string? Name, string? Sku, string? Unit, decimal? ListPrice, string? Currency, bool? Active = true);

/// <summary>One reason a deal may be lost for (the list an admin keeps).</summary>
public sealed record LoseReasonDto(string Key, LocalizedName Names, bool Active = true);

public sealed record LoseReasonsRequest(IReadOnlyList<LoseReasonDto>? Reasons);

/// <summary>A line of a deal: a product (or free text), a quantity, a unit price and a discount in percent (0–100).</summary>
public sealed record DealLineRequest(string? ProductId, string? Name, decimal? Quantity, decimal? UnitPrice, decimal? Discount = null);

public sealed record DealLineDto(string? ProductId, string Name, decimal Quantity, decimal UnitPrice, decimal Discount, decimal Total);

/// <summary>
/// A new deal on a customer. <see cref="Amount"/> may be left out when lines are given (it is then their total);
/// <see cref="RepId"/> (the rep who works it, by default the customer's owner) may only be set by a manager.
/// </summary>
public sealed record CreateDealRequest(
    string? Title,
    decimal? Amount,
    string? Currency,
    DateOnly? ExpectedCloseDate,
    string? PipelineId = null,
    string? StageKey = null,
    int? Probability = null,
    IReadOnlyList<DealLineRequest>? Lines = null,
    string? RepId = null,
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

public sealed record DealStageRequest(string? StageKey, string? Reason = null, int? Probability = null);

public sealed record WinDealRequest(decimal? Amount = null, DateTimeOffset? WonAt = null);

public sealed record LoseDealRequest(string? Reason, string? Competitor = null, string? Note = null);

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
public sealed record DealAttemptRequest(AttemptKind? Kind, AttemptOutcome? Outcome, string? Reason = null);

public sealed record DealAttemptDto(string DealId, Guid CustomerId, AttemptKind Kind, AttemptOutcome Outcome, string? Reason,
    string StageKey, string RepId, DateTimeOffset At);
