using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Plugins;
using Crm.Grains.Pools;
using Crm.Sdk;

namespace Crm.Grains.Assignment;

/// <summary>
/// A dry run of a strategy over a pool's team: what it would decide for each lead, counting each decision in the
/// chosen rep's book as a real assignment would, while nothing is assigned and the pool's strategy state is kept.
/// </summary>
public sealed class AssignmentSimulator(StrategyRunner runner, RepRoster roster, RosterCache team, IGrainFactory grains)
{
    private const int LeadLimit = 10_000;

    /// <summary>
    /// A dry run over <paramref name="leads"/>, or else the leads that entered the pool in the last <paramref name="lastDays"/>
    /// days (30 by default), against the team read afresh.
    /// </summary>
    public async Task<Simulation> SimulateAsync(PoolInfo pool, string strategy, PoolContext context, IReadOnlyList<LeadCard>? leads, int? lastDays,
        IReadOnlyDictionary<string, int> receivedToday, DateTimeOffset now)
    {
        var (simulated, protectedReps) = leads is null
            ? await RecentLeadsAsync(context.PoolId, now.AddDays(-(lastDays ?? 30)))
            : (leads, []);
        await team.EnsureAsync(context.PoolId, force: true);
        return await RunAsync(strategy, pool.Rules.Assignment?.Fallback ?? AssignmentModes.DefaultFallback, context,
            team.Candidates(pool, new HashSet<string>(), null, receivedToday), simulated, protectedReps, now);
    }

    /// <summary>The leads that entered the pool since <paramref name="since"/>, with the reps reclaim protection keeps from each.</summary>
    public async Task<(IReadOnlyList<LeadCard> Leads, Dictionary<string, IReadOnlyList<string>> ProtectedReps)> RecentLeadsAsync(
        string poolId, DateTimeOffset since)
    {
        var leads = new List<LeadCard>();
        var protectedReps = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var id in await roster.EnteredSinceAsync(poolId, UnixTime.ToMs(since), LeadLimit))
        {
            if (await grains.GetGrain<ICustomerGrain>(id).GetAssignmentLead() is { } lead)
            {
                leads.Add(lead.Card);
                protectedReps[lead.Card.Id] = lead.ProtectedReps;
            }
        }

        return (leads, protectedReps);
    }

    /// <summary>
    /// Runs <paramref name="strategy"/> (<paramref name="fallback"/> when it fails) over <paramref name="leads"/> one after
    /// the other, each seeing the books as the decisions before it left them.
    /// </summary>
    public async Task<Simulation> RunAsync(string strategy, string fallback, PoolContext pool, IReadOnlyList<RepCandidate> team,
        IReadOnlyList<LeadCard> leads, IReadOnlyDictionary<string, IReadOnlyList<string>> protectedReps, DateTimeOffset now)
    {
        var candidates = team.ToDictionary(c => c.RepId);
        var received = candidates.Keys.ToDictionary(k => k, _ => 0);
        var decisions = new List<SimulatedPick>(leads.Count);
        var faults = new List<string>();
        foreach (var lead in leads)
        {
            var locked = protectedReps.GetValueOrDefault(lead.Id) ?? [];
            var request = new AssignmentRequest
            {
                Lead = lead.ToSnapshot(),
                Candidates = candidates.Values.Where(c => !locked.Contains(c.RepId)).OrderBy(c => c.RepId, StringComparer.Ordinal).ToList(),
                Pool = pool,
                Now = now,
            };
            var outcome = await runner.ChooseAsync(strategy, fallback, request);
            faults.AddRange(outcome.Faults);
            if (outcome is not { Succeeded: true, Value: { } decision })
            {
                decisions.Add(new SimulatedPick(lead.Id, lead.Name, null, "no strategy could decide", null));
                continue;
            }

            if (!outcome.FellBack)
            {
                pool = pool with { StrategyState = decision.StrategyState };
            }

            decisions.Add(new SimulatedPick(lead.Id, lead.Name, decision.RepId, decision.Reason, outcome.UsedStrategy));
            if (decision.RepId is { } repId)
            {
                var rep = candidates[repId];
                candidates[repId] = rep with { OwnedCount = rep.OwnedCount + 1, ReceivedToday = rep.ReceivedToday + 1 };
                received[repId]++;
            }
        }

        return ResultOf(strategy, team, candidates, received, decisions, faults);
    }

    /// <summary>Most leads a rep received minus fewest (0: perfectly even).</summary>
    public static int Spread(IReadOnlyCollection<int> received) => received.Count == 0 ? 0 : received.Max() - received.Min();

    private static Simulation ResultOf(string strategy, IReadOnlyList<RepCandidate> team, Dictionary<string, RepCandidate> after,
        Dictionary<string, int> received, List<SimulatedPick> decisions, List<string> faults)
    {
        var before = team.ToDictionary(c => c.RepId, c => c.OwnedCount);
        var shares = received.OrderBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => new RepTally(r.Key, r.Value, before[r.Key], after[r.Key].OwnedCount)).ToList();
        return new Simulation(strategy, decisions, shares, faults.Distinct().Take(20).ToList());
    }
}
