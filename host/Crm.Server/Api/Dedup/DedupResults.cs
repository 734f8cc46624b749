using Crm.Client;
using Crm.Grains.Customers;
using Crm.Grains.Dedup;
using Crm.Server.Org;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Dedup;

/// <summary>Dedup decisions as HTTP: the 409 <c>duplicate</c> problem and the match list with owners' display names.</summary>
public static class DedupResults
{
    public static async Task<ProblemHttpResult> DuplicateAsync(DedupDecision decision, IGrainFactory grains, UserDirectory users, Func<Guid, Task<bool>> maySee)
    {
        var matches = await DescribeAsync(decision.Matches, grains, users, maySee);
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
    /// </summary>
    public static async Task<IReadOnlyList<DuplicateMatchDto>> DescribeAsync(IReadOnlyList<DedupMatch> matches, IGrainFactory grains, UserDirectory users,
        Func<Guid, Task<bool>> maySee)
    {
        var described = new List<DuplicateMatchDto>(matches.Count);
        foreach (var m in matches)
        {
            if (!await maySee(m.CustomerId))
            {
                described.Add(new DuplicateMatchDto(m.CustomerId, null, null, null, m.Strategy, m.KeyKind, m.KeyValue, m.Strength, m.Score, m.Reason, m.Action));
                continue;
            }

            // The owner is read from the customer grain, the truth, not from the index card.
            var customer = await grains.GetGrain<ICustomerGrain>(m.CustomerId).Get();
            var owner = customer?.OwnerId is { } ownerId ? await users.GetAsync(ownerId) : null;
            described.Add(new DuplicateMatchDto(m.CustomerId, customer?.Company ?? customer?.Name, customer?.OwnerId, owner?.DisplayName,
                m.Strategy, m.KeyKind, m.KeyValue, m.Strength, m.Score, m.Reason, m.Action));
        }

        return described;
    }
}
