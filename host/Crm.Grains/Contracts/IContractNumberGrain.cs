namespace Crm.Grains.Contracts;

/// <summary>
/// The holder of one contract number (key: <see cref="ContractRules.NumberKey"/>): numbers are unique company-wide,
/// across customers, so no customer grain can decide it alone. A customer grain reserves the number before it commits
/// the contract and gives it back if the commit fails.
/// </summary>
public interface IContractNumberGrain : IGrainWithStringKey
{
    /// <summary>Reserves the number for a contract; null when it is that contract's now, else the id of the contract that holds it.</summary>
    Task<string?> Reserve(string contractId, Guid customerId);

    /// <summary>Lets the number go if <paramref name="contractId"/> holds it (its commit failed).</summary>
    Task Release(string contractId);
}
