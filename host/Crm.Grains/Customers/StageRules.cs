using Crm.Client;

namespace Crm.Grains.Customers;

/// <summary>
/// Which stage changes the funnel allows. A customer is only a customer after a first purchase; a lost
/// deal can be revived; junk (invalid) can only go back to lead when it was marked by mistake.
/// </summary>
public static class StageRules
{
    private static readonly Dictionary<Stage, Stage[]> Allowed = new()
    {
        [Stage.Lead] = [Stage.Opportunity, Stage.Customer, Stage.Lost, Stage.Invalid],
        [Stage.Opportunity] = [Stage.Lead, Stage.Customer, Stage.Lost, Stage.Invalid],
        [Stage.Customer] = [Stage.Lost],
        [Stage.Lost] = [Stage.Lead, Stage.Opportunity],
        [Stage.Invalid] = [Stage.Lead],
    };

    public static bool CanMove(Stage from, Stage to) => Allowed[from].Contains(to);

    public static IReadOnlyList<Stage> NextStages(Stage from) => Allowed[from];

    /// <summary>Lost and invalid need a reason: failed attempts are data too.</summary>
    public static bool NeedsReason(Stage to) => to is Stage.Lost or Stage.Invalid;
}
