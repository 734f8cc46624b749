using Crm.Client;

namespace Crm.Grains.Customers.Events;

/// <summary>Stages as the timeline and the read model spell them (lower case).</summary>
public static class StageNames
{
    public static string Of(CustomerStage stage) => stage.ToString().ToLowerInvariant();

    public static CustomerStage Parse(string name) => Enum.Parse<CustomerStage>(name, ignoreCase: true);
}
