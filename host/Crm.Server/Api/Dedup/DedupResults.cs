using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Dedup;
using Crm.Server.Org;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Dedup;

/// <summary>Dedup decisions as HTTP: the 409 <c>duplicate</c> problem and the match list with owners' display names.</summary>
public static class DedupResults
{
    public static async Task<ProblemHttpResult> DuplicateAsync(DedupDecision decision, IGrainFactory grains, UserDirectory users, Actor caller)
    {
        var matches = await DescribeAsync(decision.Matches, grains, users, caller);
        var blocking = matches.First(m => m.Action == "block");
        var owners = matches.Where(m => m.OwnerName is not null).Select(m => m.OwnerName).Distinct().ToList();
        return TypedResults.Problem(
            $"This customer already exists: same {blocking.KeyKind} as {blocking.CustomerName ?? blocking.CustomerId.ToString()}" +
            (owners.Count > 0 ? $", owned by {string.Join(", ", owners)}." : blocking.CustomerName is null ? "." : ", in its public pool."),
            statusCode: StatusCodes.Status409Conflict,
            title: "Conflict",
            extensions: new Dictionary<string, object?>
            {
                ["code"] = ErrorCodes.Duplicate,
                ["customerIds"] = matches.Select(m => m.CustomerId).Distinct().ToList(),
                ["matchedKey"] = $"{blocking.KeyKind}:{blocking.KeyValue}",
                ["matches"] = matches,
            });
    }

    /// <summary>
    /// The matches as the caller may know them: a match the caller cannot see (another unit's customer) keeps its id,
    /// key and strength (the index is company-wide: that it exists is the point of the check) but not its name or owner.
    /// Whether the caller sees it is the customer grain's answer, as for <c>GET /api/customers/{id}</c>: the read model
    /// can lag a moment behind (a lead the pool just assigned to a colleague still looked unowned there, and its new
    /// owner was named to a rep who may not see it).
    /// </summary>
    public static async Task<IReadOnlyList<DuplicateMatchDto>> DescribeAsync(IReadOnlyList<DedupMatch> matches, IGrainFactory grains, UserDirectory users,
        Actor caller)
    {
        var described = new List<DuplicateMatchDto>(matches.Count);
        foreach (var m in matches)
        {
            if ((await grains.GetGrain<ICustomerGrain>(m.CustomerId).Read(caller)).Customer is not { } customer)
            {
                described.Add(new DuplicateMatchDto(m.CustomerId, null, null, null, m.Strategy, m.KeyKind, m.KeyValue, m.Strength, m.Score, m.Reason, m.Action));
                continue;
            }

            var owner = customer.OwnerId is { } ownerId ? await users.GetAsync(ownerId) : null;
            described.Add(new DuplicateMatchDto(m.CustomerId, customer.Company ?? customer.Name, customer.OwnerId, owner?.DisplayName,
                m.Strategy, m.KeyKind, m.KeyValue, m.Strength, m.Score, m.Reason, m.Action));
        }

        return described;
    }
}
