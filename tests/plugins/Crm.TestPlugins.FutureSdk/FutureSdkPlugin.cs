using Crm.Sdk;

namespace Crm.TestPlugins.FutureSdk;

/// <summary>Built against Crm.Sdk 2.0: a 1.x server must refuse it without running it.</summary>
public sealed class FutureSdkPlugin : ICrmPlugin
{
    public string Name => "Future.Plugin";

    public void Register(IPluginRegistry registry) => throw new InvalidOperationException("an incompatible plugin must never run");
}
