using System.ComponentModel.DataAnnotations;
namespace Crm.Client;

/// <summary>Moves customers to another public pool; owned ones stay with their owner.</summary>
public sealed record BulkMoveRequest([property: MaxLength(1000)] IReadOnlyList<Guid>? CustomerIds, [property: MaxLength(64)] string? ToPoolId, [property: MaxLength(500)] string? Reason = null);

/// <summary>Releases customers into their public pools.</summary>
public sealed record BulkReleaseRequest([property: MaxLength(1000)] IReadOnlyList<Guid>? CustomerIds, [property: MaxLength(500)] string? Reason = null);

/// <summary>Hands a rep's whole private pool to another rep, or releases it all when <c>toRepId</c> is null; answered per customer with <see cref="HandoverItem"/>.</summary>
public sealed record TransferPrivatePoolRequest([property: MaxLength(64)] string? ToRepId, [property: MaxLength(500)] string? Reason = null);

/// <summary>What happened to one customer of a bulk action: ok, or the refusal's code and message.</summary>
public sealed record BulkItemResult(Guid CustomerId, bool Ok, string? Code = null, string? Message = null);

public sealed record BulkResult(IReadOnlyList<BulkItemResult> Items, int Succeeded, int Failed);
