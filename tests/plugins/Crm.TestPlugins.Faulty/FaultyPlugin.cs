using Crm.Sdk;

namespace Crm.TestPlugins.Faulty;

/// <summary>Loads fine, but its strategies misbehave at run time.</summary>
public sealed class FaultyPlugin : ICrmPlugin
{
    public string Name => "Faulty.Strategies";

    public void Register(IPluginRegistry registry)
    {
        registry.AddAssignmentStrategy(new ThrowingStrategy());
        registry.AddAssignmentStrategy(new HangingStrategy());
        registry.AddAssignmentStrategy(new StrangerStrategy());
        registry.AddDedupStrategy(new ThrowingKeysStrategy());
        registry.AddDedupStrategy(new OutageStrategy());
        registry.AddDedupStrategy(new ChokesOnSomeStrategy());
        registry.AddDedupStrategy(new ManyKeysStrategy());
        registry.AddDedupStrategy(new LongKeyStrategy());
        registry.AddAssignmentStrategy(new BigStateStrategy());
        registry.AddAssignmentStrategy(new LongReasonStrategy());
        registry.AddAssignmentStrategy(new SlowValidatorStrategy());
    }
}
