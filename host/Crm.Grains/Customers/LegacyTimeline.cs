using System.Globalization;
using Crm.Grains.Customers.Events;

namespace Crm.Grains.Customers;

/// <summary>
/// The timeline as the customer's grain state held it before the event log (state field 12), read from the old state
/// blobs by the start-up migration; and the conversion of its entries into events.
/// </summary>
[GenerateSerializer]
public sealed class LegacyTimeline
{
    [Id(12)] public List<TimelineEntry> Timeline { get; set; } = [];

    /// <summary>
    /// The entry as the event it records. The old merge copied the other customer's entries into the survivor (marked
    /// <c>mergedFrom</c>); those copies answer null, because the merged customer's own log is linked instead.
    /// </summary>
    public static CustomerEvent? ToEvent(TimelineEntry e, CustomerState s)
    {
        var d = e.Data;
        string? Get(string key) => d.GetValueOrDefault(key);
        if (e.Kind != TimelineKinds.Merged && Get("mergedFrom") is not null)
        {
            return null;
        }

        return e.Kind switch
        {
            TimelineKinds.Created => new Created(e.At, e.ActorId, s.Profile, s.Traits, Get("poolId") ?? s.PoolId, s.OrgUnitId, s.RegionUnitId,
                Get("ownerId"), s.DedupKeys),
            TimelineKinds.Claimed => new Claimed(e.At, e.ActorId, Get("repId")!),
            TimelineKinds.Released => new Released(e.At, e.ActorId, Get("repId")!, e.Reason, null, null),
            TimelineKinds.Assigned when Get("strategy") is { } strategy => new Assigned(e.At, e.ActorId, Get("repId")!, null, e.Reason,
                strategy, Get("trigger"), Get("fellBack") == "true"),
            TimelineKinds.Assigned => new Assigned(e.At, e.ActorId, Get("repId")!, Get("previousOwnerId"), e.Reason),
            TimelineKinds.Recycled => new Recycled(e.At, Get("repId")!, Get("rule") ?? "", int.Parse(Get("days") ?? "0", CultureInfo.InvariantCulture),
                DateTimeOffset.Parse(Get("deadline") ?? e.At.ToString("O"), CultureInfo.InvariantCulture), e.Reason ?? "", null, null),
            TimelineKinds.FollowUp => new FollowedUp(e.At, e.ActorId, Get("type") ?? "call", Get("outcome"), e.Text, Get("location")),
            TimelineKinds.StageChanged => new StageMoved(e.At, e.ActorId, StageNames.Parse(Get("from")!), StageNames.Parse(Get("to")!), e.Reason),
            TimelineKinds.DuplicateFlagged => new DuplicateSuspected(e.At, e.ActorId, Guid.Parse(Get("duplicateOf")!), Get("matchedKey") ?? "",
                Get("strategy") ?? ""),
            TimelineKinds.Note => new NoteWritten(e.At, e.ActorId, e.Text ?? "", new(d)),
            TimelineKinds.Merged => new Merged(e.At, e.ActorId, Guid.Parse(Get("mergedFrom")!), [Guid.Parse(Get("mergedFrom")!)],
                Get("previousOwnerId"), e.Reason, null, [], null),
            TimelineKinds.MergedInto => new MergedAway(e.At, e.ActorId, Guid.Parse(Get("survivorId")!), Get("ownerId"), e.Reason),
            TimelineKinds.Moved => new MovedToPool(e.At, e.ActorId, Get("fromPoolId") ?? "", Get("toPoolId") ?? "", s.OrgUnitId ?? "", e.Reason),
            _ => throw new InvalidDataException($"A timeline entry of unknown kind '{e.Kind}' (seq {e.Seq}) cannot be migrated."),
        };
    }
}
