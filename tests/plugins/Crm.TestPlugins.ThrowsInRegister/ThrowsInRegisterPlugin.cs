using Crm.Sdk;

namespace Crm.TestPlugins.ThrowsInRegister;

/// <summary>Registers one strategy, then fails: the host must take none of it.</summary>
public sealed class ThrowsInRegisterPlugin : ICrmPlugin
{
    public string Name => "Broken.Register";

    public void Register(IPluginRegistry registry)
    {
        registry.AddAssignmentStrategy(new HalfRegisteredStrategy());
        throw new InvalidOperationException("licence key missing");
    }
}
