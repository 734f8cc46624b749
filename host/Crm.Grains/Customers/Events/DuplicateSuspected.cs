using Crm.Grains.Dedup;

namespace Crm.Grains.Customers.Events;

/// <summary>
/// The dedup rule flagged another customer as possibly the same one (for a manager's review), with the match that found
/// the pair: its strength and score are kept so a retried import answers the flags its first attempt answered (flags
/// recorded before they were kept have none).
/// </summary>
public sealed record DuplicateSuspected(DateTimeOffset At, string? ActorId, Guid DuplicateOf, string MatchedKey, string Strategy,
    string? Strength = null, double? Score = null)
    : CustomerEvent(At, ActorId)
{
    public override string Kind => TimelineKinds.DuplicateFlagged;

    /// <summary>The flag against <paramref name="other"/> for a match between the two (found from either side).</summary>
    public static DuplicateSuspected Of(DateTimeOffset at, string? actorId, Guid other, DedupMatch match) =>
        new(at, actorId, other, match.MatchedKey(), match.Strategy, match.Strength, match.Score);

    /// <summary>The match this flag records, as the dedup rule answered it (<c>flag</c>) against <see cref="DuplicateOf"/>.</summary>
    public DedupMatch AsMatch()
    {
        var colon = MatchedKey.IndexOf(':');
        var (kind, value) = colon < 0 ? (MatchedKey, "") : (MatchedKey[..colon], MatchedKey[(colon + 1)..]);
        return new DedupMatch(DuplicateOf, Strategy, kind, value, Strength ?? "", Score ?? 0, null, "flag");
    }

    public override void ApplyTo(CustomerState state) => state.FlagDuplicate(DuplicateOf);

    public override TimelineFields Describe() => new(null, null, new()
    {
        ["duplicateOf"] = DuplicateOf.ToString(),
        ["matchedKey"] = MatchedKey,
        ["strategy"] = Strategy,
    });
}
