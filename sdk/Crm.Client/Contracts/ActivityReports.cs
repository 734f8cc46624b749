namespace Crm.Client;

/// <summary>A reason and how many times it was given.</summary>
public sealed record ReasonCountDto(string Reason, int Count);

/// <summary>
/// One stage of a pipeline over a range: deals that <see cref="Entered"/> it (opened at it or moved into it), those that
/// went on from it (<see cref="Advanced"/>: moved to a later stage or won from it), <see cref="Conversion"/> = advanced /
/// entered (null when none entered), deals won from it, lost at it with their <see cref="LoseReasons"/>, and attempts
/// declined at it with their <see cref="DeclineReasons"/>.
/// </summary>
public sealed record FunnelStageDto(string PipelineId, string StageKey, int Entered, int Advanced, decimal? Conversion, int Won, int Lost, int Declined,
    IReadOnlyList<ReasonCountDto> LoseReasons, IReadOnlyList<ReasonCountDto> DeclineReasons);

/// <summary>One rep's funnel: its stages, and its deals won and lost over the range; <see cref="WinRate"/> = won / (won + lost).</summary>
public sealed record FunnelRepDto(string RepId, int Won, int Lost, decimal? WinRate, IReadOnlyList<FunnelStageDto> Stages);

/// <summary><c>GET /api/reports/funnel</c>: the scope's stages (everyone together) and each rep's, over local days [from, to].</summary>
public sealed record FunnelReportDto(string Scope, string? ScopeId, DateOnly From, DateOnly To, IReadOnlyList<FunnelStageDto> Stages, IReadOnlyList<FunnelRepDto> Reps);

/// <summary>One local day of a rep's activity.</summary>
public sealed record ActivityDayDto(DateOnly Day, bool WorkingDay, int Calls, int Visits, int Notes);

/// <summary>
/// A rep's activity over a range: calls (call follow-ups), visits (visit follow-ups and check-ins), notes, follow-ups
/// by type, each per working day of the rep's unit calendar; deals won and lost and the conversion won / (won + lost);
/// and the days with any activity.
/// </summary>
public sealed record ActivityRepDto(string RepId, int WorkingDays, int Calls, int Visits, int Notes, int CheckIns,
    IReadOnlyDictionary<string, int> FollowUpsByType, decimal? CallsPerWorkingDay, decimal? VisitsPerWorkingDay, decimal? NotesPerWorkingDay,
    int Won, int Lost, decimal? Conversion, IReadOnlyList<ActivityDayDto> Days);

/// <summary>A group of reps of the visits comparison: its visits per working day (all its visits / all its working days) and conversion.</summary>
public sealed record VisitsGroupDto(IReadOnlyList<string> RepIds, decimal? VisitsPerWorkingDay, int Won, int Lost, decimal? Conversion);

/// <summary>
/// Reps ordered by visits per working day and split in two halves (the first half rounded up is "many visits"), each
/// half's conversion side by side: does visiting more win more?
/// </summary>
public sealed record VisitsComparisonDto(VisitsGroupDto ManyVisits, VisitsGroupDto FewVisits);

/// <summary><c>GET /api/reports/activity</c>: each rep's activity over local days [from, to] and the visits comparison.</summary>
public sealed record ActivityReportDto(string Scope, string? ScopeId, DateOnly From, DateOnly To, IReadOnlyList<ActivityRepDto> Reps, VisitsComparisonDto Comparison);
