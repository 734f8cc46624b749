using System.ComponentModel.DataAnnotations;
namespace Crm.Client;

/// <summary>
/// A rep's profile for assignment: what it knows (industries, regions, languages), how senior it is, and whether it
/// takes leads now (<c>active</c>: employed and enabled; <c>onDuty</c>: not on leave). Written by managers.
/// </summary>
public sealed record RepProfileRequest(
    [property: MaxLength(50)] IReadOnlyList<string>? Industries = null,
    [property: MaxLength(50)] IReadOnlyList<string>? Regions = null,
    [property: MaxLength(20)] IReadOnlyList<string>? Languages = null,
    [property: Range(0, 10)] int? Seniority = null,
    bool? Active = null,
    bool? OnDuty = null,
    DateTimeOffset? JoinedAt = null,
    [property: MaxLength(50)] IReadOnlyDictionary<string, string>? Attributes = null);

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
    [property: MaxLength(200)] string? Name,
    [property: MaxLength(64)] string? Id = null,
    [property: MaxLength(200)] string? Company = null,
    [property: MaxLength(500)] string? Address = null,
    [property: MaxLength(100)] string? Industry = null,
    [property: MaxLength(100)] string? Region = null,
    [property: MaxLength(35)] string? Language = null,
    [property: MaxLength(100)] string? Source = null,
    [property: MaxLength(50)] IReadOnlyDictionary<string, string>? Fields = null);

/// <summary>
/// A dry run of an assignment strategy over the pool's reps as they are now: either the <c>Leads</c> given, or the
/// leads that entered the pool in the last <c>LastDays</c> days. Nothing is changed.
/// </summary>
public sealed record SimulateAssignmentRequest(
    [property: MaxLength(100)] string? Strategy,
    [property: MaxLength(50)] IReadOnlyDictionary<string, string>? Options = null,
    [property: MaxLength(10_000)] IReadOnlyList<SimulatedLead>? Leads = null,
    [property: Range(1, 365)] int? LastDays = null);

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
public sealed record DistributionFilter([property: MaxLength(64)] string? PoolId = null, [property: MaxLength(200)] string? Query = null, Stage? Stage = null, bool? UnownedOnly = null, [property: Range(1, 2000)] int? Limit = null);

/// <summary>
/// Even bulk distribution: the customers (ids or a filter) are spread evenly over the reps of a team (an org unit and
/// the units below it) or over the reps named.
/// </summary>
public sealed record DistributeRequest(
    [property: MaxLength(2000)] IReadOnlyList<Guid>? CustomerIds = null,
    DistributionFilter? Filter = null,
    [property: MaxLength(64)] string? OrgUnitId = null,
    [property: MaxLength(1000)] IReadOnlyList<string>? RepIds = null,
    [property: MaxLength(500)] string? Reason = null);

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
