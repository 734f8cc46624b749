namespace Crm.Sdk;

/// <summary>A duplicate found by <see cref="IDedupStrategy.Compare"/>.</summary>
public sealed record MatchResult
{
    /// <summary>The blocking key that matched (shown to users as the rule that matched).</summary>
    public required BlockingKey Key { get; init; }

    /// <summary>How sure the match is.</summary>
    public required MatchStrength Strength { get; init; }

    /// <summary>A score from 0 (unrelated) to 1 (identical); the host clamps values outside.</summary>
    public required double Score { get; init; }

    /// <summary>An optional explanation, e.g. <c>same tax id</c>.</summary>
    public string? Reason { get; init; }
}
