using Crm.Sdk;

namespace Crm.TestPlugins.NextMinorSdk;

/// <summary>Built against Crm.Sdk 1.1: a server with Crm.Sdk 1.0 must refuse it as incompatible, naming both versions.</summary>
public sealed class NextMinorSdkPlugin : ICrmPlugin
{
    public string Name => "NextMinor.Plugin";

    public void Register(IPluginRegistry registry) => throw new InvalidOperationException("an incompatible plugin must never run");
}
