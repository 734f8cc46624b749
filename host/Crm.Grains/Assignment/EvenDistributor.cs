using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Customers;

namespace Crm.Grains.Assignment;

/// <summary>
/// Even bulk distribution: hands a manager's list of customers to a team so that every rep receives the same
/// number, give or take one. Each customer goes to the rep who has received fewest in this run (then the smallest
/// book, then the lowest id) among those on duty, not blocked by its reclaim protection and not at capacity.
/// </summary>
public sealed class EvenDistributor(IGrainFactory grains, RepRoster roster)
{
    public const string StrategyName = "even";

    /// <param name="reachable">
    /// The customers the caller may reach (null: all given are): any other is answered as an unknown id, so that a
    /// manager neither hands out a pool above its unit nor learns who owns another unit's customer.
    /// </param>
    public async Task<DistributionResult> DistributeAsync(IReadOnlyList<Guid> customerIds, IReadOnlyList<RosterRep> team, string? reason, Actor actor,
        IReadOnlySet<Guid>? reachable = null)
    {
        var reps = team.Where(r => r.TakesLeads).OrderBy(r => r.RepId, StringComparer.Ordinal).ToList();
        var loads = await roster.LoadsAsync(reps.Select(r => r.RepId).ToList());
        var owned = reps.ToDictionary(r => r.RepId, r => loads.GetValueOrDefault(r.RepId).Owned);
        var before = new Dictionary<string, int>(owned);
        var received = reps.ToDictionary(r => r.RepId, _ => 0);
        // Capacity is a pool rule: a rep full for one pool's customers may still take another pool's.
        var full = new HashSet<(string RepId, string PoolId)>();
        var items = new List<DistributionItem>(customerIds.Count);

        foreach (var customerId in customerIds.Distinct())
        {
            var lead = reachable?.Contains(customerId) == false ? null : await grains.GetGrain<ICustomerGrain>(customerId).GetAssignmentLead();
            if (lead is null)
            {
                items.Add(new(customerId, "refused", null, ErrorCodes.NotFound, $"Customer '{customerId}' does not exist."));
                continue;
            }

            if (lead.OwnerId is { } owner)
            {
                items.Add(new(customerId, "refused", owner, ErrorCodes.AlreadyOwned, $"Rep '{owner}' already owns this customer."));
                continue;
            }

            var order = reps
                .Where(r => !lead.ProtectedReps.Contains(r.RepId) && !full.Contains((r.RepId, lead.PoolId)))
                .OrderBy(r => received[r.RepId]).ThenBy(r => owned[r.RepId]).ThenBy(r => r.RepId, StringComparer.Ordinal)
                .ToList();
            DistributionItem? item = null;
            var refusals = new List<string>();
            foreach (var rep in order)
            {
                var note = new AssignmentNote(StrategyName,
                    $"even distribution by {actor.UserId}: {received[rep.RepId] + 1} of this list for {rep.RepId}{(reason is null ? "" : $" ({reason})")}",
                    "distribution", false, actor.UserId);
                var result = await grains.GetGrain<ICustomerGrain>(customerId).AssignByRule(rep.RepId, note);
                if (result.Ok)
                {
                    received[rep.RepId]++;
                    owned[rep.RepId]++;
                    item = new(customerId, "assigned", rep.RepId, null, note.Reason);
                    break;
                }

                var error = result.Error!;
                if (error.Code == ErrorCodes.CapacityFull)
                {
                    full.Add((rep.RepId, lead.PoolId));
                }
                else if (error.Code is not (ErrorCodes.ReclaimProtected or ErrorCodes.NotAPoolMember or ErrorCodes.OutOfRegion or ErrorCodes.RepUnavailable))
                {
                    item = new(customerId, "refused", null, error.Code, error.Message);
                    break;
                }

                refusals.Add($"{rep.RepId}: {error.Code}");
            }

            items.Add(item ?? new(customerId, "refused", null, reps.Count == 0 ? "no-reps" : "no-rep-available",
                reps.Count == 0 ? "The team has no rep on duty." : $"No rep could take it ({string.Join(", ", refusals.DefaultIfEmpty("all reps are at capacity or blocked"))})."));
        }

        var shares = reps.Select(r => new RepShare(r.RepId, received[r.RepId], before[r.RepId], owned[r.RepId])).ToList();
        var assigned = items.Count(i => i.Status == "assigned");
        return new DistributionResult(items.Count, assigned, items.Count - assigned, AssignmentSimulator.Spread(shares.Select(s => s.Received).ToList()), items, shares);
    }
}
