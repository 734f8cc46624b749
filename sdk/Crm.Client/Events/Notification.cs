using System.Text.Json;

namespace Crm.Client;

/// <summary>
/// One event in a user's message center: its id (per user, 1, 2, 3, ... without gaps; null for a live-only event
/// such as <see cref="ImportProgress"/>), the event type (the typed event's name), when it happened and the event
/// record as JSON. Pushed as hub method <c>Notification</c> to connections that resumed; listed by
/// <c>GET /api/notifications</c>, where <see cref="ReadAt"/> tells whether it was read.
/// </summary>
public sealed record Notification(long? Id, string Type, DateTimeOffset At, JsonElement Data, DateTimeOffset? ReadAt = null) : ICrmPushEvent;

/// <summary>The answer of the hub's <c>Resume(lastSeenId)</c>: what came after that id, oldest first; call again while <see cref="HasMore"/>.</summary>
public sealed record NotificationCatchUp(IReadOnlyList<Notification> Items, bool HasMore);
