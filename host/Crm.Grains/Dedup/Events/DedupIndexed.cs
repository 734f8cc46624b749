using Crm.Grains.Customers;
using Crm.Grains.Customers.Events;

namespace Crm.Grains.Dedup.Events;

/// <summary>
/// The customer's dedup keys were computed again and differ from the stored ones: a queued customer indexed once its
/// strategy recovered (<see cref="Trigger"/> <c>retry</c>), or a reindex that found keys a newer strategy introduces
/// (<c>reindex</c>), an edit's new card (<c>details</c>, <c>custom-fields</c>; <c>edited</c> when the retrier keyed it after
/// the edit's own request could not). The keys themselves stay off the timeline (they spell out phones and e-mails).
/// </summary>
public sealed record DedupIndexed(
    DateTimeOffset At,
    string? ActorId,
    IReadOnlyList<string> Keys,
    IReadOnlyList<string> Dropped,
    string Trigger) : CustomerEvent(At, ActorId)
{
    public override string Kind => TimelineKinds.DedupIndexed;

    public override void ApplyTo(CustomerState state) => state.DedupKeys = [.. Keys];

    public override TimelineFields Describe() => new(null, null, new()
    {
        ["trigger"] = Trigger,
        ["keys"] = Keys.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });
}
