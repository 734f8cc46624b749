using Crm.Tests.Infrastructure;

namespace Crm.Tests.Plugins;

/// <summary>
/// A real server whose plugins directory holds the standard plugin, a good third-party plugin and every kind of
/// broken one. Strategy calls get a 2 s budget: short enough for quick timeouts, long enough for a cold first call.
/// </summary>
public sealed class PluginServerFixture : IAsyncLifetime
{
    public const string Versioned = "Crm.TestPlugins.Versioned";

    private readonly TempDirectory _data = new("crm-plugin-server");

    public PluginDirectory Plugins { get; } = new PluginDirectory()
        .WithStandard()
        .WithTestPlugin("Crm.TestPlugins.Good")
        .WithTestPlugin("Crm.TestPlugins.ThrowsInRegister")
        .WithTestPlugin("Crm.TestPlugins.MissingDependency", without: "Crm.TestPlugins.MissingDependency.Helper.dll")
        .WithTestPlugin("Crm.TestPlugins.FutureSdk")
        .WithTestPlugin("Crm.TestPlugins.Faulty")
        .WithTestPlugin("Crm.TestPlugins.Versioned.V1", Versioned)
        .WithGarbageAssembly("Acme.Corrupt");

    public ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ServerProcess.StartAsync(_data.Path, new Dictionary<string, string>
    {
        ["Crm__Plugins__Directory"] = Plugins.Path,
        ["Crm__Plugins__CallTimeoutMilliseconds"] = "2000",
    });

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Plugins.Dispose();
        _data.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class PluginServerCollection : ICollectionFixture<PluginServerFixture>
{
    public const string Name = "server with plugins";
}
