using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.CustomFields;
using Crm.Grains.Customers.Events;
using Crm.Grains.Deals;
using Crm.Grains.Deals.Events;

namespace Crm.Grains.Customers;

/// <summary>The deal commands of the customer grain (<see cref="ICustomerDeals"/>): check, decide, raise events on the customer's log.</summary>
public sealed partial class CustomerGrain : ICustomerDeals
{
    public async Task<Result<DealRecord>> OpenDeal(NewDeal deal, Actor actor)
    {
        if (await OwnerOrManagerAsync(actor, "Only the rep who owns this customer, or a manager, may open deals on it.") is { } refused)
        {
            return refused;
        }

        if (DealRules.CheckCustomer(S.Stage) is { } invalid)
        {
            return invalid;
        }

        var rep = await DealRepAsync(deal.RepId, actor);
        if (rep.Error is { } noRep)
        {
            return noRep;
        }

        var unitPath = S.OrgUnitId is null ? null : await tree.PathOf(S.OrgUnitId);
        var pipeline = deal.PipelineId is { } pipelineId ? await deals.PipelineAsync(pipelineId) : await deals.DefaultForAsync(unitPath);
        if (pipeline is null || !await deals.ServesAsync(pipeline, unitPath))
        {
            return CrmError.Invalid("pipelineId", deal.PipelineId is null
                ? "No default pipeline serves this customer's unit; name one."
                : $"Pipeline '{deal.PipelineId}' does not exist or does not serve this customer's unit.");
        }

        var stageKey = deal.StageKey ?? pipeline.Stages[0].Key;
        if (DealRules.CheckStage(pipeline, stageKey) is { } badStage)
        {
            return badStage;
        }

        var card = deal.CustomFields ?? [];
        if (await IncompleteAsync(CustomFieldEntity.Deal, card, stageKey) is { } incomplete)
        {
            return incomplete;
        }

        var now = clock.GetUtcNow();
        var repId = rep.Value!;
        var opened = new DealOpened(now, actor.UserId, DealRules.NewId(), deal.Title, deal.Amount, deal.Currency, repId,
            (await tree.Member(repId))?.OrgUnitId, pipeline.Id, stageKey, DealRules.Probability(pipeline.Stage(stageKey)!, deal.Probability),
            deal.ExpectedClose, deal.Lines, card.Count == 0 ? null : card);
        var events = new List<CustomerEvent> { opened };
        if (DealRules.StageAfterOpen(S.Stage) is { } next)
        {
            events.Add(new StageMoved(now, actor.UserId, S.Stage, next, "deal opened"));
        }

        await RaiseAsync(events);
        return S.Deals[opened.DealId];
    }

    public async Task<Result<DealRecord>> MoveDeal(string dealId, string stageKey, string? reason, int? probability, Actor actor)
    {
        var found = await OpenDealOfAsync(dealId, actor);
        if (found.Error is { } refused)
        {
            return refused;
        }

        var deal = found.Value!;
        var pipeline = await deals.PipelineAsync(deal.PipelineId);
        if (pipeline is null)
        {
            return CrmError.Conflict(ErrorCodes.Invalid, $"The deal's pipeline '{deal.PipelineId}' no longer exists.");
        }

        if (DealRules.CheckStage(pipeline, stageKey) is { } badStage)
        {
            return badStage;
        }

        if (deal.StageKey == stageKey && (probability is null || probability == deal.Probability))
        {
            return deal;
        }

        if (deal.StageKey != stageKey && await IncompleteAsync(CustomFieldEntity.Deal, deal.CustomFields, stageKey) is { } incomplete)
        {
            return incomplete;
        }

        await RaiseAsync(new DealStageMoved(clock.GetUtcNow(), actor.UserId, dealId, deal.RepId, deal.PipelineId, deal.StageKey, stageKey,
            DealRules.Probability(pipeline.Stage(stageKey)!, probability), deal.Amount, deal.Currency, reason));
        return S.Deals[dealId];
    }

    public async Task<Result<DealRecord>> WinDeal(string dealId, decimal? amount, DateTimeOffset? wonAt, Actor actor)
    {
        var found = await OpenDealOfAsync(dealId, actor);
        if (found.Error is { } refused)
        {
            return refused;
        }

        var deal = found.Value!;
        var now = clock.GetUtcNow();
        var at = wonAt ?? now;
        if (at > now.AddMinutes(5) || at < deal.CreatedAt)
        {
            return CrmError.Invalid("wonAt", "A deal is won after it was opened and not in the future.");
        }

        if (await IncompleteAsync(CustomFieldEntity.Deal, deal.CustomFields, CustomFieldDefinition.WonStage) is { } incomplete)
        {
            return incomplete;
        }

        var events = new List<CustomerEvent>
        {
            new DealClosedWon(at, actor.UserId, dealId, deal.Title, amount ?? deal.Amount, deal.Currency, deal.RepId, deal.RepUnitId,
                deal.PipelineId, deal.StageKey, deal.Probability, deal.CreatedAt),
        };
        if (DealRules.StageAfterWin(S.Stage) is { } next)
        {
            events.Add(new StageMoved(at, actor.UserId, S.Stage, next, "first deal won"));
        }

        if (await RuleLevelAfterAsync(events, now) is { } level)
        {
            events.Add(level);
        }

        await RaiseAsync(events);
        return S.Deals[dealId];
    }

    public async Task<Result<DealRecord>> LoseDeal(string dealId, string reason, string? competitor, string? note, Actor actor)
    {
        var found = await OpenDealOfAsync(dealId, actor);
        if (found.Error is { } refused)
        {
            return refused;
        }

        var known = (await deals.GetAsync()).LoseReasons.Where(r => r.Active).Select(r => r.Key).ToList();
        if (!known.Contains(reason))
        {
            return CrmError.Invalid("reason", $"'{reason}' is not a lose reason of the company's list: {string.Join(", ", known)}.");
        }

        var deal = found.Value!;
        await RaiseAsync(new DealClosedLost(clock.GetUtcNow(), actor.UserId, dealId, deal.RepId, deal.PipelineId, deal.StageKey, deal.Probability,
            deal.Amount, deal.Currency, reason, competitor, note));
        return S.Deals[dealId];
    }

    public async Task<Result<DealRecord>> RecordAttempt(string dealId, string kind, string outcome, string? reason, Actor actor)
    {
        var found = await OpenDealOfAsync(dealId, actor);
        if (found.Error is { } refused)
        {
            return refused;
        }

        var deal = found.Value!;
        await RaiseAsync(new DealAttempted(clock.GetUtcNow(), actor.UserId, dealId, deal.RepId, deal.PipelineId, deal.StageKey, kind, outcome, reason));
        return S.Deals[dealId];
    }

    public async Task<Result<DealRecord>> GetDeal(string dealId, Actor actor)
    {
        if (await ExistingAndSeenAsync(actor) is { } refused)
        {
            return refused;
        }

        return S.Deals.TryGetValue(dealId, out var deal) ? deal : CrmError.NotFound("Deal", dealId);
    }

    /// <summary>The gate of the commands on one open deal: the customer's owner or a manager above it, and the deal still open.</summary>
    private async Task<Result<DealRecord>> OpenDealOfAsync(string dealId, Actor actor)
    {
        if (await OwnerOrManagerAsync(actor, "Only the rep who owns this customer, or a manager, may work its deals.") is { } refused)
        {
            return refused;
        }

        if (!S.Deals.TryGetValue(dealId, out var deal))
        {
            return CrmError.NotFound("Deal", dealId);
        }

        return DealRules.CheckOpen(deal) is { } closed ? closed : deal;
    }

    /// <summary>
    /// Who works a new deal: the customer's owner, or another rep only by a manager's hand, and only one who sees the
    /// customer (<see cref="Org.CustomerAccess.RepSeesAsync"/>, the rule of its reads), since a deal's rep that does not
    /// would get 404 on its own deal. While the customer has an owner that is the owner alone (a rep sees only its own
    /// customers); an unowned one's, a member of its pool, whose deal then goes to whoever takes the customer.
    /// </summary>
    private async Task<Result<string>> DealRepAsync(string? requested, Actor actor)
    {
        if (requested is null || requested == S.OwnerId)
        {
            return S.OwnerId is { } owner ? owner : CrmError.Invalid("repId", "The customer has no owner: name the rep who works the deal.");
        }

        if (!actor.IsManagerOrAdmin)
        {
            return CrmError.Forbidden("Only a manager may give a deal to a rep other than the customer's owner.");
        }

        Org.OrgMember rep;
        if (actor.IsScoped && actor.Role != UserRole.Admin)
        {
            var assignee = await access.AssigneeAsync(actor, requested);
            if (assignee.Error is not null)
            {
                return CrmError.Invalid("repId", $"'{requested}' is not an active rep of your unit.");
            }

            rep = assignee.Value!;
        }
        else if (await tree.Member(requested) is { Role: UserRole.Rep, Active: true } member)
        {
            rep = member;
        }
        else
        {
            return CrmError.Invalid("repId", $"'{requested}' is not an active rep.");
        }

        if (await access.RepSeesAsync(rep, S.OrgUnitId, S.PoolId, S.OwnerId))
        {
            return requested;
        }

        return CrmError.Invalid("repId", S.OwnerId is not null
            ? $"Rep '{requested}' does not see this customer: it has an owner, and an open deal is worked by the customer's owner. "
              + "Assign the customer to that rep first, or leave 'repId' out."
            : $"Rep '{requested}' does not see this customer: it is not a member of the customer's pool.");
    }

    /// <summary>
    /// An open deal follows its customer's owner: the commit that gives the customer to <paramref name="repId"/> (the
    /// <paramref name="taken"/> event: a claim, an assignment, a hand-over) moves every open deal of another rep to it.
    /// Won and lost deals keep their rep; a release leaves the open deals as they are, for the next owner to take.
    /// </summary>
    private async Task<IReadOnlyList<CustomerEvent>> OpenDealsFollowAsync(string repId, CustomerEvent taken)
    {
        var moving = S.Deals.Values.Where(d => d.Status == Deals.DealStatus.Open && d.RepId != repId)
            .OrderBy(d => d.CreatedAt).ThenBy(d => d.Id, StringComparer.Ordinal).ToList();
        if (moving.Count == 0)
        {
            return [];
        }

        var unitId = (await tree.Member(repId))?.OrgUnitId;
        return moving.Select(d => (CustomerEvent)new DealRepChanged(taken.At, taken.ActorId, d.Id, d.RepId, repId, unitId)).ToList();
    }
}
