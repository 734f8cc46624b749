namespace Crm.Grains.Notifications;

/// <summary>A stored notification: one user's copy of one pushed event.</summary>
public sealed record NotificationRow(string UserId, long Id, string EventType, string Data, string EventKey, long AtMs, long CreatedMs, long? ReadMs = null);
