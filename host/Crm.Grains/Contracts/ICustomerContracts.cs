using Crm.Grains.Common;

namespace Crm.Grains.Contracts;

/// <summary>
/// The contract and payment commands of a customer (key: customer id), implemented by the customer grain: a contract's
/// changes are events on its customer's log. Only the customer's owner, or a manager above it, signs contracts and
/// records payments.
/// </summary>
public interface ICustomerContracts : IGrainWithGuidKey
{
    /// <summary>Signs a contract on a won deal of this customer (one per deal); the number must be free company-wide.</summary>
    Task<Result<ContractRecord>> SignContract(string dealId, NewContract contract, Actor actor);

    /// <summary>Records a payment (or a refund, negative) on a contract of this customer, allocated oldest instalment first.</summary>
    Task<Result<PaymentReceipt>> RecordPayment(string contractId, NewPayment payment, Actor actor);

    /// <summary>A contract of this customer, if the caller reaches the customer.</summary>
    Task<Result<ContractRecord>> GetContract(string contractId, Actor actor);

    /// <summary>Raises PaymentOverdue for every instalment overdue now and not announced yet; answers how many.</summary>
    Task<int> RaiseOverdue();
}
