using Crm.Grains.Common;

namespace Crm.Grains.Reps;

public sealed class RepGrain(
    [PersistentState("rep", "crm")] IPersistentState<RepState> state,
    TimeProvider clock) : Grain, IRepGrain
{
    public async Task<CrmError?> TryTake(Guid customerId, string poolId, OwnershipLimits limits, bool countsAsClaim)
    {
        var s = state.State;
        if (s.Owned.ContainsKey(customerId))
        {
            return null;
        }

        var now = clock.GetUtcNow();
        if (limits.CapacityPerRep is { } capacity && s.Owned.Count >= capacity)
        {
            return CrmError.Conflict("capacity-full",
                $"The rep already owns {s.Owned.Count} customers; the pool allows {capacity}.",
                new() { ["repId"] = this.GetPrimaryKeyString(), ["capacity"] = capacity.ToString() });
        }

        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (s.ClaimDay != today)
        {
            s.ClaimDay = today;
            s.ClaimsToday.Clear();
        }

        var claimed = s.ClaimsToday.GetValueOrDefault(poolId);
        if (countsAsClaim && limits.ClaimsPerRepPerDay is { } perDay && claimed >= perDay)
        {
            return CrmError.Conflict("claim-limit",
                $"The rep has made {claimed} claims from this pool today; the pool allows {perDay} a day.",
                new() { ["repId"] = this.GetPrimaryKeyString(), ["poolId"] = poolId, ["limit"] = perDay.ToString() });
        }

        if (countsAsClaim)
        {
            s.ClaimsToday[poolId] = claimed + 1;
        }

        s.Owned[customerId] = new OwnedCustomer(customerId, poolId, now);
        await state.WriteStateAsync();
        return null;
    }

    public async Task Drop(Guid customerId)
    {
        if (state.State.Owned.Remove(customerId))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<OwnedCustomer>> GetOwned() =>
        Task.FromResult<IReadOnlyList<OwnedCustomer>>(state.State.Owned.Values.OrderBy(o => o.Since).ToList());
}
