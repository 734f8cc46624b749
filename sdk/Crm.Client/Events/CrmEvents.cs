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

/// <summary>The customer's details were edited (<c>PATCH /api/customers/{id}</c>): which fields changed; read the customer for their values.</summary>
public sealed record CustomerEdited(Guid CustomerId, DateTimeOffset At, string? EditedBy, IReadOnlyList<string> Fields) : ICrmEvent;

public sealed record DuplicateFlagged(Guid CustomerId, DateTimeOffset At, IReadOnlyList<Guid> DuplicateOf, string MatchedKey) : ICrmEvent;

public sealed record NoteAdded(Guid CustomerId, DateTimeOffset At, string NoteId, string TemplateId, string Text) : ICrmEvent;

/// <summary>Pushed to the managers of the pool's org unit when a release/claim pattern between two reps looks like collusion.</summary>
public sealed record CollusionSuspected(Guid CustomerId, DateTimeOffset At, string PoolId, string Kind, string FromRepId, string ToRepId) : ICrmEvent;

/// <summary>Progress of a big import, pushed to the importing user's connections (not about one customer).</summary>
public sealed record ImportProgress(string ImportId, DateTimeOffset At, int Processed, int Total, int Created, int Duplicates, int Rejected) : ICrmPushEvent;

/// <summary>A deal was opened on a customer (to its rep and the customer's unit).</summary>
public sealed record DealCreated(Guid CustomerId, DateTimeOffset At, string DealId, string Title, decimal Amount, string Currency,
    string RepId, string PipelineId, string StageKey, int Probability) : ICrmEvent;

/// <summary>A deal moved to another stage of its pipeline.</summary>
public sealed record DealStageChanged(Guid CustomerId, DateTimeOffset At, string DealId, string FromStageKey, string ToStageKey,
    int Probability, string? Reason, string? ChangedBy) : ICrmEvent;

/// <summary>A deal was won: pushed to its rep and the rep's whole unit (the team's gong).</summary>
public sealed record DealWon(Guid CustomerId, DateTimeOffset At, string DealId, string Title, decimal Amount, string Currency, string RepId) : ICrmEvent;

/// <summary>A deal was lost, with the reason from the company's list.</summary>
public sealed record DealLost(Guid CustomerId, DateTimeOffset At, string DealId, string Reason, string? Competitor, string RepId) : ICrmEvent;

/// <summary>A task was given to a rep (its customers of the task): to that rep.</summary>
public sealed record TaskAssigned(string TaskId, DateTimeOffset At, string RepId, string Title, string Kind, IReadOnlyList<Guid> CustomerIds,
    DateTimeOffset DueAt, string AssignedBy) : ICrmPushEvent;

/// <summary>A rep's open items of a task are due (the working morning of the due day): to that rep.</summary>
public sealed record TaskDue(string TaskId, DateTimeOffset At, string RepId, string Title, IReadOnlyList<Guid> CustomerIds, DateTimeOffset DueAt) : ICrmPushEvent;

/// <summary>A rep's items of a task are still open past the due time: to that rep, and to the managers when a manager gave it.</summary>
public sealed record TaskOverdue(string TaskId, DateTimeOffset At, string RepId, string Title, IReadOnlyList<Guid> CustomerIds, DateTimeOffset DueAt) : ICrmPushEvent;

/// <summary>A rep's daily report was generated: to the rep and to the managers of its unit and above.</summary>
public sealed record DailyReportReady(string ReportId, DateTimeOffset At, string RepId, DateOnly Date) : ICrmPushEvent;

/// <summary>A manager replied on a rep's daily report: to the rep.</summary>
public sealed record DailyReportReplied(string ReportId, DateTimeOffset At, string RepId, DateOnly Date, string ReplyId, string AuthorId, string Text) : ICrmPushEvent;

/// <summary>
/// Money arrived on a contract (a negative amount is a refund, with its reason); <see cref="ContractPaid"/> and
/// <see cref="ContractOutstanding"/> are the contract's totals after it, all in <see cref="Currency"/>.
/// </summary>
public sealed record PaymentReceived(Guid CustomerId, DateTimeOffset At, string ContractId, string ContractNumber, string PaymentId, decimal Amount,
    string Currency, decimal ContractPaid, decimal ContractOutstanding, string? Reason, string RepId) : ICrmEvent;

/// <summary>An instalment of a contract's payment plan passed its due date unpaid (at most once per instalment); amounts in <see cref="Currency"/>.</summary>
public sealed record PaymentOverdue(Guid CustomerId, DateTimeOffset At, string ContractId, string ContractNumber, int InstalmentNo, DateOnly DueDate,
    decimal Due, decimal Outstanding, string Currency, string RepId) : ICrmEvent;

/// <summary>
/// The figures of a leaderboard moved (<see cref="ScopeId"/>: an org unit's id, or <c>company</c>): to the connections
/// watching that board (<see cref="CrmEventStream.WatchLeaderboardAsync"/>), at most once a second per board, naming
/// the metrics that changed since the last push. Live only: refetch the board.
/// </summary>
public sealed record LeaderboardChanged(string ScopeId, IReadOnlyList<string> Metrics, DateTimeOffset At) : ICrmPushEvent;
