using Crm.Grains.Customers;
using Crm.Grains.Org;

namespace Crm.Grains.Tasks;

/// <summary>
/// Asks a task's customers where the users who get or do its work stand (<see cref="ICustomerGrain.FollowUpStandings"/>):
/// the customer grains are the authority on owner, pool and region. Read-only, a few calls in flight at a time.
/// </summary>
public static class TaskFollowUps
{
    private const int InFlight = 32;

    public static async Task<IReadOnlyDictionary<Guid, FollowUpStandings>> AskAsync(
        IGrainFactory grains, IEnumerable<Guid> customerIds, IReadOnlyList<OrgMember> users)
    {
        var answers = new Dictionary<Guid, FollowUpStandings>();
        foreach (var chunk in customerIds.Distinct().Chunk(InFlight))
        {
            var asked = await Task.WhenAll(chunk.Select(async id => (id, await grains.GetGrain<ICustomerGrain>(id).FollowUpStandings(users))));
            foreach (var (id, standings) in asked)
            {
                answers[id] = standings;
            }
        }

        return answers;
    }

    /// <summary>The user as the customers see it: a request's actor is already checked against the org tree.</summary>
    public static OrgMember AsMember(Common.Actor actor) => new(actor.UserId, actor.Role, actor.OrgUnitId, actor.OrgUnitPath, Active: true);
}
