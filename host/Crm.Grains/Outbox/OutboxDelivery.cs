using Crm.Grains.Assignment;
using Crm.Grains.Customers;
using Crm.Grains.Dedup;
using Crm.Grains.Pools;
using Crm.Grains.Push;
using Crm.Grains.Reps;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Crm.Grains.Outbox;

/// <summary>Carries out one outbox effect: a call to the grain it concerns.</summary>
public sealed class OutboxDelivery(IGrainFactory grains, IOptions<DedupOptions> dedup, Org.OrgTreeCache tree, ILogger<OutboxDelivery> logger)
{
    public Task RunAsync(OutboxEffect effect) => effect switch
    {
        TrackOwner t => grains.GetGrain<IRepGrain>(t.RepId).Track(t.CustomerId, t.PoolId, t.Facts, t.Adopt),
        DropOwner d => grains.GetGrain<IRepGrain>(d.RepId).Drop(d.CustomerId, d.Version),
        PushEvent p => Publish(p),
        PushToTeam t => PublishToTeamAsync(t),
        ReportCollusion c => grains.GetGrain<IPoolGrain>(c.PoolId).ReportCollusion(c.Case),
        IndexDedup i => DedupGate.SyncAsync(grains, dedup.Value.Shards,
            CustomerCard.From(i.CustomerId, i.Profile, i.PoolId, i.OwnerId, default, i.Traits, i.Fields), i.Keys),
        UnindexDedup u => DedupGate.RemoveAsync(grains, dedup.Value.Shards, u.CustomerId, u.Keys),
        MergeAway m => MergeAwayAsync(m),
        Leaderboards.TouchLeaderboards t => t.DeliverAsync(grains, tree),
        // One-way, so the pool's assignment may call back into the customer grain that is delivering this.
        AnnounceLead a => Announce(a),
        _ => throw new NotSupportedException($"Unknown outbox effect {effect.GetType().Name}."),
    };

    // Awaited until every recipient stored it in its message center (a write, never a wait for a client): the outbox
    // entry goes only then, so a crash before that delivers it again, and the message's key keeps it stored once.
    // A pool's copy names the other channels: their users hear the event there, so the pool's watchers among them do not
    // hear it twice (the rep a claim is about, the unit's managers).
    private Task Publish(PushEvent push) =>
        Task.WhenAll(push.Channels.Select(channel => grains.GetGrain<IPushChannelGrain>(channel).Route(PushChannels.IsPool(channel)
            ? push.Message with { AlsoTo = push.Channels.Where(other => other != channel).ToList() }
            : push.Message)));

    /// <summary>The channels of the push, and every active member of the team's unit (their members as of delivery).</summary>
    private async Task PublishToTeamAsync(PushToTeam push)
    {
        var channels = push.Channels.ToList();
        if (push.TeamUnitId is { } unit)
        {
            channels.Add(PushChannels.Unit(unit));
            channels.AddRange((await tree.MembersOf(unit)).Select(m => PushChannels.Rep(m.UserId)));
        }

        await Publish(new PushEvent(push.Message, channels.Distinct().ToList()));
    }

    private async Task MergeAwayAsync(MergeAway merge)
    {
        var refused = await grains.GetGrain<ICustomerGrain>(merge.DuplicateId).BecomeAlias(merge.SurvivorId, merge.Reason, merge.ActorId);
        if (refused is not null)
        {
            // Final (merged into another customer meanwhile, or gone): retrying cannot change it.
            logger.LogWarning("Customer {Duplicate} did not become an alias of {Survivor}: {Reason}", merge.DuplicateId, merge.SurvivorId, refused.Message);
        }
    }

    private Task Announce(AnnounceLead lead)
    {
        _ = grains.GetGrain<IAssignmentGrain>(lead.PoolId).LeadEntered(lead.CustomerId, lead.Trigger);
        return Task.CompletedTask;
    }
}
