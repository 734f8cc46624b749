using Crm.Client;
using Crm.Grains.Customers.Events;
using Crm.Grains.Outbox;
using Crm.Grains.Push;

namespace Crm.Grains.Customers;

/// <summary>
/// What must follow a commit, derived from its events and the snapshot before and after: the private pools that
/// change, the pushes, the leads that wait for assignment, the dedup index. The result goes into the outbox with the
/// commit, so commands never call other grains for their side effects themselves.
/// </summary>
public static class CustomerEffects
{
    public static List<OutboxEffect> Of(Guid id, CustomerState before, CustomerState after, IReadOnlyList<CustomerEvent> events)
    {
        var effects = new List<OutboxEffect>();
        foreach (var e in events)
        {
            switch (e)
            {
                case Created c when c.OwnerId is { } owner:
                    effects.Add(Push(after, new CustomerAssigned(id, c.At, owner, c.ActorId, "created with an owner"), owner));
                    break;
                case Created:
                    effects.Add(new AnnounceLead(after.PoolId, id, "created"));
                    break;
                case Claimed c:
                    effects.Add(Push(after, new CustomerClaimed(id, c.At, c.RepId), c.RepId, toPool: true));
                    break;
                case Released r:
                    LetGo(effects, id, after, r.RepId, new CustomerReleased(id, r.At, r.RepId, r.Reason), "released");
                    break;
                case Assigned a:
                    if (a.PreviousOwnerId is { } previous)
                    {
                        effects.Add(new DropOwner(previous, id, after.Version));
                        effects.Add(Push(after, new CustomerReleased(id, a.At, previous, a.Reason ?? "reassigned by a manager"), previous));
                    }

                    effects.Add(Push(after, new CustomerAssigned(id, a.At, a.RepId, a.ActorId, a.Reason), a.RepId, toPool: a.PreviousOwnerId is null));
                    break;
                case Recycled r:
                    LetGo(effects, id, after, r.RepId, new CustomerRecycled(id, r.At, r.RepId, r.Reason), "recycled");
                    break;
                case FollowedUp f:
                    effects.Add(Push(after, new FollowUpAdded(id, f.At, f.ActorId, Enum.Parse<FollowUpType>(f.Type, true), f.Outcome!), after.OwnerId));
                    break;
                case Visits.Events.VisitCheckedIn v:
                    // A visit is a follow-up: rep apps hear of it as one.
                    effects.Add(Push(after, new FollowUpAdded(id, v.At, v.ActorId, FollowUpType.Visit, v.Outcome ?? "visited"), after.OwnerId));
                    break;
                case StageMoved m:
                    effects.Add(Push(after, new StageChanged(id, m.At, (Stage)m.From, (Stage)m.To, m.Reason, m.ActorId), after.OwnerId));
                    break;
                case CustomerDetails.Events.DetailsEdited d:
                    effects.Add(Push(after, new CustomerEdited(id, d.At, d.ActorId, d.Fields), after.OwnerId));
                    break;
                case DuplicateSuspected d:
                    effects.Add(Push(after, new DuplicateFlagged(id, d.At, [d.DuplicateOf], d.MatchedKey), after.OwnerId));
                    break;
                case NoteWritten n:
                    effects.Add(Push(after, new NoteAdded(id, n.At, n.NoteId, n.Data[Notes.NoteEntryData.TemplateId]!, n.Text), after.OwnerId));
                    break;
                case Merged m:
                    effects.Add(new UnindexDedup(m.DuplicateId, m.DedupKeys));
                    effects.Add(IndexDedup.Of(id, after));
                    break;
                case MergedAway when before.OwnerId is { } owner:
                    effects.Add(new DropOwner(owner, id, after.Version));
                    break;
                case MovedToPool when after.OwnerId is null:
                    effects.Add(new AnnounceLead(after.PoolId, id, "moved"));
                    break;
                default:
                    Deals.DealEffects.Add(effects, id, after, e);
                    Contracts.ContractEffects.Add(effects, id, after, e);
                    Dedup.DedupEffects.Add(effects, id, after, e);
                    break;
            }
        }

        // The boards the credited reps appear on hear that their figures moved (docs/reports.md).
        effects.AddRange(Leaderboards.TouchLeaderboards.Of(events));

        // The owner's private pool follows the facts its recycle deadline is computed from.
        if (after.OwnerId is { } current && after.Exists)
        {
            effects.Insert(0, new TrackOwner(current, id, after.PoolId, CustomerMappings.Facts(after)));
        }

        return effects;
    }

    /// <summary>The owner let the customer go (release, recycle): out of its private pool, told, and the lead waits for assignment.</summary>
    private static void LetGo(List<OutboxEffect> effects, Guid id, CustomerState after, string repId, ICrmEvent told, string trigger)
    {
        effects.Add(new DropOwner(repId, id, after.Version));
        effects.Add(Push(after, told, repId, toPool: true));
        effects.Add(new AnnounceLead(after.PoolId, id, trigger));
    }

    /// <param name="toPool">The event takes the lead out of its public pool or puts it back: the pool's watchers hear it too.</param>
    private static PushEvent Push(CustomerState after, ICrmEvent evt, string? repId, bool toPool = false)
    {
        var channels = new List<string>(3);
        if (repId is not null)
        {
            channels.Add(PushChannels.Rep(repId));
        }

        if (after.OrgUnitId is not null)
        {
            channels.Add(PushChannels.Unit(after.OrgUnitId));
        }

        if (toPool && !string.IsNullOrEmpty(after.PoolId))
        {
            channels.Add(PushChannels.Pool(after.PoolId));
        }

        return new PushEvent(EventPublisher.ToMessage(evt), channels.Distinct().ToList());
    }
}
