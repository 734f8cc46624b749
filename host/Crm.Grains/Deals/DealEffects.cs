using Crm.Client;
using Crm.Grains.Customers;
using Crm.Grains.Customers.Events;
using Crm.Grains.Deals.Events;
using Crm.Grains.Outbox;
using Crm.Grains.Push;

namespace Crm.Grains.Deals;

/// <summary>
/// The side effects of deal events (called from <see cref="CustomerEffects"/>): pushes to the deal's rep and the
/// customer's unit; a won deal goes to the rep's whole team as well.
/// </summary>
public static class DealEffects
{
    public static void Add(List<OutboxEffect> effects, Guid id, CustomerState after, CustomerEvent e)
    {
        switch (e)
        {
            case DealOpened d:
                effects.Add(Push(after, new DealCreated(id, d.At, d.DealId, d.Title, d.Amount, d.Currency, d.RepId, d.PipelineId, d.StageKey, d.Probability), d.RepId));
                break;
            case DealStageMoved m:
                effects.Add(Push(after, new DealStageChanged(id, m.At, m.DealId, m.FromStageKey, m.ToStageKey, m.Probability, m.Reason, m.ActorId), m.RepId));
                break;
            case DealClosedWon w:
                effects.Add(new PushToTeam(EventPublisher.ToMessage(new DealWon(id, w.At, w.DealId, w.Title, w.Amount, w.Currency, w.RepId)),
                    Channels(after, w.RepId), w.RepUnitId));
                break;
            case DealClosedLost l:
                effects.Add(Push(after, new Client.DealLost(id, l.At, l.DealId, l.Reason, l.Competitor, l.RepId), l.RepId));
                break;
        }
    }

    private static PushEvent Push(CustomerState after, ICrmEvent evt, string repId) => new(EventPublisher.ToMessage(evt), Channels(after, repId));

    private static List<string> Channels(CustomerState after, string repId)
    {
        var channels = new List<string> { PushChannels.Rep(repId) };
        if (after.OwnerId is { } owner && owner != repId)
        {
            channels.Add(PushChannels.Rep(owner));
        }

        if (after.OrgUnitId is not null)
        {
            channels.Add(PushChannels.Unit(after.OrgUnitId));
        }

        return channels;
    }
}
