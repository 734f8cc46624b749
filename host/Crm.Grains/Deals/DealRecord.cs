namespace Crm.Grains.Deals;

/// <summary>
/// One deal in the customer's snapshot: what the deal commands decide on and what its read-model row shows. Changed only
/// by the deal events' <c>ApplyTo</c>; its lines stay in the event that opened it and in <c>deal_lines</c>.
/// </summary>
[GenerateSerializer]
public sealed class DealRecord
{
    [Id(0)] public string Id { get; set; } = "";
    [Id(1)] public string Title { get; set; } = "";
    [Id(2)] public decimal Amount { get; set; }
    [Id(3)] public string Currency { get; set; } = "";
    [Id(4)] public string RepId { get; set; } = "";
    [Id(5)] public string? RepUnitId { get; set; }
    [Id(6)] public string PipelineId { get; set; } = "";
    [Id(7)] public string StageKey { get; set; } = "";
    [Id(8)] public int Probability { get; set; }
    [Id(9)] public DealStatus Status { get; set; }
    [Id(10)] public DateOnly? ExpectedClose { get; set; }
    [Id(11)] public DateTimeOffset CreatedAt { get; set; }
    [Id(12)] public DateTimeOffset UpdatedAt { get; set; }
    [Id(13)] public DateTimeOffset? ClosedAt { get; set; }
    [Id(14)] public string? LoseReason { get; set; }
    /// <summary>The customer's version when this deal last changed: its read-model row's version.</summary>
    [Id(15)] public long Version { get; set; }
    /// <summary>The deal card's custom field values by key (CustomFields/).</summary>
    [Id(16)] public Dictionary<string, CustomFields.CustomValue> CustomFields { get; set; } = [];
}
