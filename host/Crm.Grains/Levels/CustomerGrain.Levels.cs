using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Customers.Events;
using Crm.Grains.Levels;
using Crm.Grains.Levels.Events;

namespace Crm.Grains.Customers;

/// <summary>The level commands of the customer grain (<see cref="ICustomerLevels"/>) and the rule's recomputation other commands ask for.</summary>
public sealed partial class CustomerGrain : ICustomerLevels
{
    public async Task<Result<CustomerView>> SetLevel(string? level, string? reason, Actor actor)
    {
        if (await OwnerOrManagerAsync(actor, "Only the rep who owns this customer, or a manager, may set its level.") is { } refused)
        {
            return refused;
        }

        var settings = await levels.GetAsync();
        if (level is not null && !settings.Levels.Contains(level))
        {
            return CrmError.Invalid("level", $"'{level}' is not a level; the company's levels are {string.Join(", ", settings.Levels)}.");
        }

        var now = clock.GetUtcNow();
        if (level is not null)
        {
            if (S.Level == level && S.LevelByHand)
            {
                return Dto();
            }

            await RaiseAsync(new LevelChanged(now, actor.UserId, S.Level, level, ByHand: true, reason));
            return Dto();
        }

        // Handed back to the rule: its verdict now, or no level when it has none to give.
        var verdict = LevelRules.Compute(settings, LevelRules.PurchasesOf(S), now, await levels.RatesAsync());
        if (verdict?.Level == S.Level && !S.LevelByHand)
        {
            return Dto();
        }

        await RaiseAsync(new LevelChanged(now, actor.UserId, S.Level, verdict?.Level, ByHand: false, reason ?? "handed back to the rule",
            verdict?.Orders, verdict?.AverageAmount));
        return Dto();
    }

    /// <summary>
    /// The level change the rule calls for once <paramref name="pending"/> applied (a won deal, later a payment), or null:
    /// none when the level was set by hand, the rule is off, or the level stays.
    /// </summary>
    private async Task<CustomerEvent?> RuleLevelAfterAsync(IReadOnlyList<CustomerEvent> pending, DateTimeOffset now)
    {
        if (S.LevelByHand)
        {
            return null;
        }

        var after = copier.Copy(S);
        after.Apply(pending, now);
        var verdict = LevelRules.Compute(await levels.GetAsync(), LevelRules.PurchasesOf(after), now, await levels.RatesAsync());
        return verdict is null || verdict.Level == S.Level
            ? null
            : new LevelChanged(now, null, S.Level, verdict.Level, ByHand: false,
                $"{verdict.Orders} order(s) in the rule's window, {verdict.AverageAmount} on average", verdict.Orders, verdict.AverageAmount);
    }
}
