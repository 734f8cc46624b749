using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Crm.Server.Plugins;

namespace Crm.Tests.Plugins;

/// <summary>Replacing a plugin folder and reloading switches behaviour without a restart; old calls finish on the old version.</summary>
public sealed class HotReloadTests : IDisposable
{
    private const string Versioned = "Crm.TestPlugins.Versioned";
    private readonly PluginDirectory _directory = new PluginDirectory().WithStandard().WithTestPlugin("Crm.TestPlugins.Versioned.V1", Versioned);

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Reload_replaces_version_1_with_version_2_without_restart()
    {
        using var plugins = new InProcessPlugins(_directory);
        Assert.Equal("v1", (await plugins.Runner.ChooseAsync("versioned", null, Leads.Request())).Value!.Reason);

        _directory.Replace("Crm.TestPlugins.Versioned.V2", Versioned);
        var listing = plugins.Host.Reload();

        Assert.Equal("2.0.0", listing.Items.Single(p => p.Folder == Versioned).Version);
        var decision = (await plugins.Runner.ChooseAsync("versioned", null, Leads.Request())).Value!;
        Assert.Equal("v2", decision.Reason);
        Assert.Equal("rep-c", decision.RepId);
    }

    [Fact]
    public async Task Call_in_flight_during_a_reload_finishes_on_the_old_version()
    {
        using var plugins = new InProcessPlugins(_directory, budgetMs: 10_000);
        var slow = plugins.Runner.ChooseAsync("versioned", null, Leads.Request(new Dictionary<string, string> { ["delayMs"] = "5000" }));
        // The call has started (it holds version 1) once version 1 counts it.
        for (var i = 0; i < 200 && plugins.Plugin(Versioned).Strategies.Single(s => s.Name == "versioned").Calls == 0; i++)
        {
            await Task.Delay(25);
        }

        Assert.Equal(1, plugins.Plugin(Versioned).Strategies.Single(s => s.Name == "versioned").Calls);

        _directory.Replace("Crm.TestPlugins.Versioned.V2", Versioned);
        plugins.Host.Reload();
        Assert.False(slow.IsCompleted, "the slow call returned before the reload: nothing was in flight");
        var fresh = await plugins.Runner.ChooseAsync("versioned", null, Leads.Request());

        Assert.Equal("v2", fresh.Value!.Reason);
        Assert.Equal("v1", (await slow).Value!.Reason);
    }

    [Fact]
    public async Task Old_version_unloads_once_its_last_call_has_returned()
    {
        using var plugins = new InProcessPlugins(_directory);
        await plugins.Runner.ChooseAsync("versioned", null, Leads.Request());
        var oldContext = ContextOf(plugins.Host, Versioned);

        _directory.Replace("Crm.TestPlugins.Versioned.V2", Versioned);
        plugins.Host.Reload();

        for (var i = 0; i < 20 && oldContext.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Delay(50);
        }

        Assert.False(oldContext.IsAlive, "the load context of version 1 is still alive after the reload");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference ContextOf(PluginHost host, string folder)
    {
        var context = host.Current.Plugins.Single(p => p.Folder == folder).Loader!.LoadContext;
        Assert.True(context.IsCollectible);
        return new WeakReference(context);
    }
}
