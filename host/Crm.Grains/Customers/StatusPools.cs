using Crm.Client;

namespace Crm.Grains.Customers;

/// <summary>
/// Which status pool a customer sits in, kept by the system: every stage change (the record of the
/// customer's activity: contacted, qualified, bought, lost, junk) moves it. Leads and opportunities are
/// nurtured; a purchase is success; a lost deal is failure; junk is invalid.
/// </summary>
public static class StatusPools
{
    public static StatusPool Of(CustomerStage stage) => stage switch
    {
        CustomerStage.Customer => StatusPool.Success,
        CustomerStage.Lost => StatusPool.Failure,
        CustomerStage.Invalid => StatusPool.Invalid,
        _ => StatusPool.Nurturing,
    };
}
