using System.ComponentModel.DataAnnotations;

namespace Crm.Client;

/// <summary>The company's customer levels, best first, and the rule over order frequency × order size that sets them.</summary>
public sealed record CustomerLevelsDto(IReadOnlyList<string> Levels, LevelRuleDto Rule);

/// <summary>Orders of the last <see cref="WindowDays"/> in <see cref="Currency"/>; the first tier met gives the level, else <see cref="Fallback"/>.</summary>
public sealed record LevelRuleDto(bool Enabled, [property: Range(1, 3650)] int WindowDays, [property: MaxLength(3)] string Currency, [property: MaxLength(10)] IReadOnlyList<LevelTierDto> Tiers, [property: MaxLength(16)] string? Fallback);

public sealed record LevelTierDto([property: MaxLength(16)] string Level, [property: Range(1, 100000)] int MinOrders, [property: Range(typeof(decimal), "0", "1000000000000")] decimal MinAverageAmount);

public sealed record CustomerLevelsRequest(IReadOnlyList<string>? Levels, LevelRuleDto? Rule);

/// <summary>A level set by hand; a null <see cref="Level"/> hands the customer back to the rule.</summary>
public sealed record SetLevelRequest([property: MaxLength(20)] string? Level, [property: MaxLength(500)] string? Reason = null);
