using System.ComponentModel.DataAnnotations;
namespace Crm.Client;

/// <summary><c>GET /api/notifications/unread-count</c>.</summary>
public sealed record UnreadCountDto(long Unread, long LastId);

/// <summary><c>POST /api/notifications/read-all</c>: marks read everything up to <see cref="UpToId"/> (all when absent).</summary>
public sealed record MarkAllReadRequest([property: Range(typeof(long), "0", "9223372036854775807")] long? UpToId = null);

/// <summary>How many notifications a mark changed.</summary>
public sealed record MarkedReadDto(int Marked);
