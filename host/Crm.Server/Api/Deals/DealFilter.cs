namespace Crm.Server.Api.Deals;

/// <summary>What <c>GET /api/deals</c> narrows the list by.</summary>
public sealed record DealFilter(
    string? RepId = null,
    string? StageKey = null,
    string? Status = null,
    long? ClosingBeforeMs = null,
    string? CustomerId = null,
    string? PipelineId = null);
