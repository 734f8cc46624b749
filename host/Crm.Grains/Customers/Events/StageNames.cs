using Crm.Client;

namespace Crm.Grains.Customers.Events;

/// <summary>Stages as the timeline and the read model spell them (lower case).</summary>
public static class StageNames
{
    public static string Of(Stage stage) => stage.ToString().ToLowerInvariant();

    public static Stage Parse(string name) => Enum.Parse<Stage>(name, ignoreCase: true);
}
