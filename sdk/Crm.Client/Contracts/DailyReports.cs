using System.ComponentModel.DataAnnotations;

namespace Crm.Client;

/// <summary>
/// <c>PUT /api/org-units/{id}/daily-report</c>: the local time (HH:mm, in the unit's calendar) the unit's daily reports
/// are made at on its working days; units below without their own follow it. Null removes the unit's own.
/// </summary>
public sealed record DailyReportSettingRequest([property: MaxLength(5)] string? LocalTime);

/// <summary>The time a unit's reports are made at, and the unit it is set on (null: the server's default).</summary>
public sealed record DailyReportSettingDto(string OrgUnitId, string LocalTime, string? SetOn, string TimeZone);

/// <summary><c>PUT /api/reports/daily/{id}</c>, by the rep on its own report: its comments on the day and its plan for tomorrow.</summary>
public sealed record DailyReportNotesRequest([property: MaxLength(4000)] string? Comments, [property: MaxLength(4000)] string? Plan);

/// <summary><c>POST /api/reports/daily/{id}/replies</c>, by a manager of the rep (or an admin).</summary>
public sealed record DailyReportReplyRequest([property: MaxLength(4000)] string? Text);

public sealed record DailyReportReplyDto(string Id, string AuthorId, string Text, DateTimeOffset At);

/// <summary>
/// A rep's daily report for one local day of its unit's calendar. <see cref="Id"/> is null and <see cref="Final"/>
/// false for a preview of today before the unit's report time; a generated report keeps the figures of its
/// <see cref="GeneratedAt"/>, with the rep's comments and plan and the managers' replies.
/// </summary>
public sealed record DailyReportDto(string? Id, string RepId, DateOnly Date, string TimeZone, bool Final, DateTimeOffset? GeneratedAt,
    DailyFiguresDto Figures, string? Comments, string? Plan, DateTimeOffset? CommentedAt, IReadOnlyList<DailyReportReplyDto> Replies);

/// <summary>
/// What the rep did on the day (from the per-day projections) and what stands now: open tasks past due as of
/// <see cref="AsOf"/>, what falls due up to the end of <see cref="NextWorkingDay"/>, and a light per active customer.
/// Money is per currency as received, and in total in the base currency at the day's rates.
/// </summary>
public sealed record DailyFiguresDto(
    DateTimeOffset AsOf,
    int NewCustomers,
    int FollowUps,
    IReadOnlyList<FollowUpCountDto> FollowUpsByType,
    int DealsWon,
    IReadOnlyList<MoneyAmountDto> WonAmounts,
    IReadOnlyList<MoneyAmountDto> PaymentsReceived,
    IReadOnlyList<DailyTaskDto> NewTasks,
    IReadOnlyList<DailyTaskDto> OverdueTasks,
    DateOnly NextWorkingDay,
    IReadOnlyList<DueItemDto> DueNext,
    IReadOnlyList<CustomerLightDto> Customers,
    LightCountsDto Lights,
    MoneyTotalDto WonTotal,
    MoneyTotalDto PaymentsTotal,
    int Visits = 0,
    int Notes = 0);

/// <summary>Money of several currencies in the base currency at the day's rates; currencies without a rate are left out and named.</summary>
public sealed record MoneyTotalDto(string Currency, decimal Amount, IReadOnlyList<string> MissingRates);

public sealed record FollowUpCountDto(string Type, string Outcome, int Count);

public sealed record MoneyAmountDto(string Currency, decimal Amount);

public sealed record DailyTaskDto(string TaskId, string Title, string Kind, Guid CustomerId, DateTimeOffset DueAt, string Status);

/// <summary>Something due by the end of the next working day: a task item, a next follow-up date set by a note, an instalment.</summary>
public sealed record DueItemDto(string Kind, string Ref, Guid CustomerId, string? CustomerName, string Title, DateTimeOffset? DueAt, DateOnly? DueDate,
    decimal? Amount, string? Currency);

/// <summary>green: moving; yellow: stalling; red: stuck or at risk. <see cref="Reason"/> says which rule and threshold.</summary>
public sealed record CustomerLightDto(Guid CustomerId, string Name, string Stage, string PoolId, string Light, string Reason,
    int DaysSinceContact, int DaysSinceMove);

/// <summary>How many active customers have each light; <see cref="Listed"/> of them are in the list (red first).</summary>
public sealed record LightCountsDto(int Green, int Yellow, int Red, int Listed);
