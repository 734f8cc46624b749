namespace Crm.Client;

/// <summary>
/// A rep's profile for assignment: what it knows (industries, regions, languages), how senior it is, and whether it
/// takes leads now (<c>active</c>: employed and enabled; <c>onDuty</c>: not on leave). Written by managers.
/// </summary>
public sealed record RepProfileRequest(
    IReadOnlyList<string>? Industries = null,
    IReadOnlyList<string>? Regions = null,
    IReadOnlyList<string>? Languages = null,
    int? Seniority = null,
    bool? Active = null,
    bool? OnDuty = null,
    DateTimeOffset? JoinedAt = null,
    IReadOnlyDictionary<string, string>? Attributes = null);

public sealed record RepProfileDto(
    string RepId,
    string? OrgUnitId,
    IReadOnlyList<string> Industries,
    IReadOnlyList<string> Regions,
    IReadOnlyList<string> Languages,
    int Seniority,
    bool Active,
    bool OnDuty,
    DateTimeOffset JoinedAt,
    IReadOnlyDictionary<string, string> Attributes);

/// <summary>A lead for a dry run: the fields strategies look at. <c>Id</c> is optional (a label in the answer).</summary>
public sealed record SimulatedLead(
    string? Name,
    string? Id = null,
    string? Company = null,
    string? Address = null,
    string? Industry = null,
    string? Region = null,
    string? Language = null,
    string? Source = null,
    IReadOnlyDictionary<string, string>? Fields = null);

/// <summary>
/// A dry run of an assignment strategy over the pool's reps as they are now: either the <c>Leads</c> given, or the
/// leads that entered the pool in the last <c>LastDays</c> days. Nothing is changed.
/// </summary>
public sealed record SimulateAssignmentRequest(
    string? Strategy,
    IReadOnlyDictionary<string, string>? Options = null,
    IReadOnlyList<SimulatedLead>? Leads = null,
    int? LastDays = null);

public sealed record SimulatedDecision(string LeadId, string LeadName, string? RepId, string Reason, string? Strategy);

/// <summary>How many leads a rep received in a run, and its book before and after.</summary>
public sealed record RepShare(string RepId, int Received, int OwnedBefore, int OwnedAfter);

/// <summary>The answer of a dry run or a distribution: per lead, per rep, and the spread (max − min received).</summary>
public sealed record SimulationResult(
    string Strategy,
    int Leads,
    int Assigned,
    int Unassigned,
    int Spread,
    IReadOnlyList<SimulatedDecision> Decisions,
    IReadOnlyList<RepShare> Distribution,
    IReadOnlyList<string> Faults);

/// <summary>Which customers to distribute: explicit ids, or a filter on the read model (unowned ones by default).</summary>
public sealed record DistributionFilter(string? PoolId = null, string? Query = null, Stage? Stage = null, bool? UnownedOnly = null, int? Limit = null);

/// <summary>
/// Even bulk distribution: the customers (ids or a filter) are spread evenly over the reps of a team (an org unit and
/// the units below it) or over the reps named.
/// </summary>
public sealed record DistributeRequest(
    IReadOnlyList<Guid>? CustomerIds = null,
    DistributionFilter? Filter = null,
    string? OrgUnitId = null,
    IReadOnlyList<string>? RepIds = null,
    string? Reason = null);

/// <summary>One customer of a distribution: <c>assigned</c> (to <c>RepId</c>) or <c>refused</c> with a code and reason.</summary>
public sealed record DistributionItem(Guid CustomerId, string Status, string? RepId, string? Code, string? Reason);

public sealed record DistributionResult(
    int Requested,
    int Assigned,
    int Refused,
    int Spread,
    IReadOnlyList<DistributionItem> Items,
    IReadOnlyList<RepShare> Distribution);

/// <summary>A lead no rep could take: it stays in the pool, with why.</summary>
public sealed record UnassignedLead(Guid CustomerId, string Reason, DateTimeOffset Since);

/// <summary>The state of a pool's automatic assignment: the rule, counters, the last fault, and leads left waiting.</summary>
public sealed record AssignmentStatusDto(
    string PoolId,
    AssignmentRule? Rule,
    long Assigned,
    long FellBack,
    int Pending,
    string? LastFault,
    DateTimeOffset? LastFaultAt,
    IReadOnlyList<UnassignedLead> Unassigned);
