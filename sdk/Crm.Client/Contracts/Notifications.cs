namespace Crm.Client;

/// <summary><c>GET /api/notifications/unread-count</c>.</summary>
public sealed record UnreadCountDto(long Unread, long LastId);

/// <summary><c>POST /api/notifications/read-all</c>: marks read everything up to <see cref="UpToId"/> (all when absent).</summary>
public sealed record MarkAllReadRequest(long? UpToId = null);

/// <summary>How many notifications a mark changed.</summary>
public sealed record MarkedReadDto(int Marked);
