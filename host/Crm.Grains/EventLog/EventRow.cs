using Crm.Grains.Storage;

namespace Crm.Grains.EventLog;

/// <summary>One event as it is appended to <c>customer_events</c>: serialized by the grain, not by the writer.</summary>
public sealed record EventRow(long Seq, long AtMs, string Kind, string? ActorId, Utf8Text Json);
