using Crm.Client;

namespace Crm.Grains.Customers;

/// <summary>
/// Which stage changes the funnel allows. A customer is only a customer after a first purchase; a lost
/// deal can be revived; junk (invalid) can only go back to lead when it was marked by mistake.
/// </summary>
public static class StageRules
{
    private static readonly Dictionary<CustomerStage, CustomerStage[]> Allowed = new()
    {
        [CustomerStage.Lead] = [CustomerStage.Opportunity, CustomerStage.Customer, CustomerStage.Lost, CustomerStage.Invalid],
        [CustomerStage.Opportunity] = [CustomerStage.Lead, CustomerStage.Customer, CustomerStage.Lost, CustomerStage.Invalid],
        [CustomerStage.Customer] = [CustomerStage.Lost],
        [CustomerStage.Lost] = [CustomerStage.Lead, CustomerStage.Opportunity],
        [CustomerStage.Invalid] = [CustomerStage.Lead],
    };

    public static bool CanMove(CustomerStage from, CustomerStage to) => Allowed[from].Contains(to);

    public static IReadOnlyList<CustomerStage> NextStages(CustomerStage from) => Allowed[from];

    /// <summary>Lost and invalid need a reason: failed attempts are data too.</summary>
    public static bool NeedsReason(CustomerStage to) => to is CustomerStage.Lost or CustomerStage.Invalid;
}
