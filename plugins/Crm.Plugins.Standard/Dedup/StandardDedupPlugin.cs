using Crm.Sdk;

namespace Crm.Plugins.Standard.Dedup;

/// <summary>Registers the standard dedup strategies: <c>identity-keys</c> and <c>company-name</c>.</summary>
public sealed class StandardDedupPlugin : ICrmPlugin
{
    public string Name => "Crm.Standard.Dedup";

    public void Register(IPluginRegistry registry)
    {
        var settings = DedupSettings.FromEnvironment();
        registry.AddDedupStrategy(new IdentityKeysStrategy(settings));
        registry.AddDedupStrategy(new CompanyNameStrategy(settings));
    }
}
