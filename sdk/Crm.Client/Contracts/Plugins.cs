namespace Crm.Client;

/// <summary>Whether a plugin folder loaded: loaded, failed (with the reason) or built against an incompatible SDK.</summary>
public enum PluginState { Loaded, Failed, Incompatible }

/// <summary>
/// One plugin folder as the server sees it: what it is, what it offers and how its strategies behave.
/// <c>SdkVersion</c> is the <c>Crm.Sdk</c> version the plugin was built against.
/// </summary>
public sealed record PluginDto(
    string Name,
    string Folder,
    string? Version,
    string? SdkVersion,
    PluginState State,
    string? Reason,
    IReadOnlyList<string> AssignmentStrategies,
    IReadOnlyList<string> DedupStrategies,
    IReadOnlyList<string> NoteTemplates,
    IReadOnlyList<string> Warnings,
    long Faults,
    IReadOnlyList<StrategyHealthDto> Strategies,
    IReadOnlyList<string>? MessageChannels = null,
    IReadOnlyList<string>? Geocoders = null);

/// <summary>Calls and faults of one strategy since its plugin version was loaded.</summary>
public sealed record StrategyHealthDto(
    string Kind,
    string Name,
    long Calls,
    long Faults,
    long Timeouts,
    int RunningPastBudget,
    string? LastFault,
    DateTimeOffset? LastFaultAt);

/// <summary>
/// The answer of <c>GET /api/plugins</c> and <c>POST /api/plugins/reload</c>. <see cref="Warnings"/>: the pools (those
/// the caller sees) whose rules name a dedup or assignment strategy that no loaded plugin offers.
/// </summary>
public sealed record PluginListDto(
    string ApiVersion,
    string Directory,
    int Generation,
    DateTimeOffset LoadedAt,
    IReadOnlyList<PluginDto> Items,
    IReadOnlyList<string>? Warnings = null);

/// <summary>
/// The answer of a strategy trial (<c>POST /api/plugins/assignment/{name}/trial</c>): which strategy answered
/// (the requested one or the fallback), the faults met, and the decision.
/// </summary>
public sealed record AssignmentTrialDto(
    string Requested,
    string? UsedStrategy,
    bool Succeeded,
    bool FellBack,
    IReadOnlyList<string> Faults,
    string? RepId,
    string? Reason,
    string? StrategyState);

/// <summary>One blocking key (kind and normalised value) produced by a dedup strategy.</summary>
public sealed record BlockingKeyDto(string Kind, string Value);

/// <summary>A duplicate match: the key that matched, the strength (exact, strong, weak) and a score from 0 to 1.</summary>
public sealed record MatchDto(BlockingKeyDto Key, string Strength, double Score, string? Reason);

/// <summary>The answer of a dedup strategy trial: the keys of both customers and the comparison.</summary>
public sealed record DedupTrialDto(
    string Requested,
    string? UsedStrategy,
    bool Succeeded,
    bool FellBack,
    IReadOnlyList<string> Faults,
    IReadOnlyList<BlockingKeyDto> IncomingKeys,
    IReadOnlyList<BlockingKeyDto> ExistingKeys,
    MatchDto? Match);
