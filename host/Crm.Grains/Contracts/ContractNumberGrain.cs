using Crm.Grains.Storage;
using Dapper;

namespace Crm.Grains.Contracts;

/// <summary>
/// One contract number's holder. A reservation whose contract never reached the read model (its silo crashed between
/// the reservation and the commit) is taken over after <see cref="AbandonedAfter"/>, so a number is never lost for good.
/// </summary>
public sealed class ContractNumberGrain(
    [PersistentState("contract-number", "crm")] IPersistentState<ContractNumberState> state, CrmDatabase database, TimeProvider clock)
    : Grain, IContractNumberGrain
{
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(2);

    public async Task<string?> Reserve(string contractId, Guid customerId)
    {
        var held = state.State;
        if (held.ContractId is { } holder && holder != contractId && !await AbandonedAsync(holder, held.ReservedAt))
        {
            return holder;
        }

        if (held.ContractId != contractId)
        {
            state.State = new ContractNumberState { ContractId = contractId, CustomerId = customerId, ReservedAt = clock.GetUtcNow() };
            await state.WriteStateAsync();
        }

        return null;
    }

    public async Task Release(string contractId)
    {
        if (state.State.ContractId == contractId)
        {
            state.State = new ContractNumberState();
            await state.WriteStateAsync();
        }
    }

    private async Task<bool> AbandonedAsync(string holder, DateTimeOffset reservedAt)
    {
        if (clock.GetUtcNow() - reservedAt < AbandonedAfter)
        {
            return false;
        }

        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM contracts WHERE id = @holder", new { holder }) == 0;
    }
}
