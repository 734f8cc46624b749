using Crm.Sdk;

namespace Crm.TestPlugins.Good;

/// <summary>A well-behaved third-party plugin.</summary>
public sealed class GoodPlugin : ICrmPlugin
{
    public string Name => "Acme.Assignment";

    public void Register(IPluginRegistry registry)
    {
        registry.AddAssignmentStrategy(new SeniorFirstStrategy());
        registry.AddDedupStrategy(new SameNameStrategy());
        registry.AddDedupStrategy(new WeChatIdStrategy());
    }
}
