namespace Crm.Client;

/// <summary>
/// Everything the server pushes over SignalR on <c>/hubs/reps</c>. The hub method name is the record's type name; the
/// one argument is the record. The server pushes nothing else: a test compares these types with the events of
/// <see cref="CrmEventStream"/>.
/// </summary>
public interface ICrmPushEvent
{
    /// <summary>When it happened.</summary>
    DateTimeOffset At { get; }
}

/// <summary>A pushed event about one customer (all of them but <see cref="ImportProgress"/>).</summary>
public interface ICrmEvent : ICrmPushEvent
{
    Guid CustomerId { get; }
}

public sealed record CustomerAssigned(Guid CustomerId, DateTimeOffset At, string RepId, string? AssignedBy, string? Reason) : ICrmEvent;

public sealed record CustomerClaimed(Guid CustomerId, DateTimeOffset At, string RepId) : ICrmEvent;

public sealed record CustomerReleased(Guid CustomerId, DateTimeOffset At, string RepId, string? Reason) : ICrmEvent;

public sealed record CustomerRecycled(Guid CustomerId, DateTimeOffset At, string RepId, string Reason) : ICrmEvent;

public sealed record RecycleWarning(Guid CustomerId, DateTimeOffset At, string RepId, DateTimeOffset DropsAt, int DaysLeft) : ICrmEvent;

public sealed record FollowUpAdded(Guid CustomerId, DateTimeOffset At, string? RepId, FollowUpType Type, string Outcome) : ICrmEvent;

public sealed record StageChanged(Guid CustomerId, DateTimeOffset At, Stage From, Stage To, string? Reason, string? ChangedBy) : ICrmEvent;

public sealed record DuplicateFlagged(Guid CustomerId, DateTimeOffset At, IReadOnlyList<Guid> DuplicateOf, string MatchedKey) : ICrmEvent;

public sealed record NoteAdded(Guid CustomerId, DateTimeOffset At, string NoteId, string TemplateId, string Text) : ICrmEvent;

/// <summary>Pushed to the managers of the pool's org unit when a release/claim pattern between two reps looks like collusion.</summary>
public sealed record CollusionSuspected(Guid CustomerId, DateTimeOffset At, string PoolId, string Kind, string FromRepId, string ToRepId) : ICrmEvent;

/// <summary>Progress of a big import, pushed to the importing user's connections (not about one customer).</summary>
public sealed record ImportProgress(string ImportId, DateTimeOffset At, int Processed, int Total, int Created, int Duplicates, int Rejected) : ICrmPushEvent;
