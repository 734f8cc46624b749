using Crm.Client;

namespace Crm.Tests.Plugins;

/// <summary>Real plugin folders, built by the solution build, loaded from disk through McMaster load contexts.</summary>
public sealed class PluginLoadingTests : IDisposable
{
    private readonly PluginDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Standard_plugin_loads_from_its_folder_with_its_strategies_and_templates()
    {
        _directory.WithStandard();
        using var plugins = new InProcessPlugins(_directory);

        var standard = plugins.Plugin("Crm.Plugins.Standard");
        Assert.Equal(PluginState.Loaded, standard.State);
        Assert.Equal("1.0.0", standard.Version);
        Assert.Equal("1.0.0.0", standard.SdkVersion);
        Assert.Equal(["round-robin", "least-loaded", "weighted", "profile-match", "region-owner", "new-rep-boost", "composite"], standard.AssignmentStrategies);
        Assert.Equal(["identity-keys", "company-name"], standard.DedupStrategies);
        Assert.Equal("Crm.Plugins.Standard", standard.Name);
        Assert.Contains("first-visit", standard.NoteTemplates);
        Assert.Contains("first-visit", plugins.Host.NoteTemplates.Select(t => t.Id));
    }

    [Fact]
    public async Task Third_party_plugin_loads_beside_the_standard_one_and_its_strategy_answers()
    {
        _directory.WithStandard().WithTestPlugin("Crm.TestPlugins.Good");
        using var plugins = new InProcessPlugins(_directory);

        Assert.Equal(PluginState.Loaded, plugins.Plugin("Crm.TestPlugins.Good").State);
        var request = Leads.Request() with
        {
            Candidates = [new() { RepId = "junior", Seniority = 0 }, new() { RepId = "senior", Seniority = 3 }],
        };
        var outcome = await plugins.Runner.ChooseAsync("senior-first", "round-robin", request);

        Assert.Equal("senior", outcome.Value!.RepId);
        Assert.Equal("senior-first", outcome.UsedStrategy);
    }

    [Fact]
    public async Task Sample_plugin_of_the_docs_loads_and_assigns_by_region()
    {
        _directory.WithStandard().WithSample();
        using var plugins = new InProcessPlugins(_directory);

        var sample = plugins.Plugin("Acme.CrmPlugin");
        Assert.Equal(PluginState.Loaded, sample.State);
        Assert.Equal(["acme-email-domain"], sample.DedupStrategies);
        Assert.Equal(["acme-site-visit"], sample.NoteTemplates);
        var request = Leads.Request() with
        {
            Lead = Leads.Customer("Ivan Petrov") with { Region = "Siberia" },
            Candidates = [new() { RepId = "anna", Regions = ["Ural"] }, new() { RepId = "boris", Regions = ["Siberia"], OwnedCount = 40 }],
        };
        var outcome = await plugins.Runner.ChooseAsync("acme-region-first", "least-loaded", request);
        Assert.Equal("boris", outcome.Value!.RepId);
    }

    [Fact]
    public void Plugin_that_throws_in_Register_is_reported_failed_and_none_of_its_strategies_is_offered()
    {
        _directory.WithStandard().WithTestPlugin("Crm.TestPlugins.ThrowsInRegister");
        using var plugins = new InProcessPlugins(_directory);

        var broken = plugins.Plugin("Crm.TestPlugins.ThrowsInRegister");
        Assert.Equal(PluginState.Failed, broken.State);
        Assert.Contains("licence key missing", broken.Reason);
        Assert.Empty(broken.AssignmentStrategies);
        Assert.Null(plugins.Host.RentAssignment("half-registered"));
        Assert.Equal(PluginState.Loaded, plugins.Plugin("Crm.Plugins.Standard").State);
    }

    /// <summary>
    /// A dependency missing from the plugin's folder fails the load naming it, whether the plugin needs it to register
    /// (MissingDependency) or only when a strategy is called (LazyDependency).
    /// </summary>
    [Theory]
    [InlineData("Crm.TestPlugins.MissingDependency", "priced")]
    [InlineData("Crm.TestPlugins.LazyDependency", "lazy-priced")]
    public void Plugin_missing_a_dependency_is_reported_failed_at_load_naming_the_missing_assembly(string plugin, string strategy)
    {
        _directory.WithStandard().WithTestPlugin(plugin, without: "Crm.TestPlugins.MissingDependency.Helper.dll");
        using var plugins = new InProcessPlugins(_directory);

        var broken = plugins.Plugin(plugin);
        Assert.Equal(PluginState.Failed, broken.State);
        Assert.Contains("Missing dependency", broken.Reason);
        Assert.Contains("Crm.TestPlugins.MissingDependency.Helper", broken.Reason);
        Assert.Null(plugins.Host.RentAssignment(strategy));
    }

    [Fact]
    public void The_same_plugin_loads_when_its_dependency_is_present()
    {
        _directory.WithTestPlugin("Crm.TestPlugins.MissingDependency");
        using var plugins = new InProcessPlugins(_directory);

        Assert.Equal(PluginState.Loaded, plugins.Plugin("Crm.TestPlugins.MissingDependency").State);
        Assert.Contains("priced", plugins.Host.AssignmentStrategyNames);
    }

    [Fact]
    public void Plugin_built_against_a_higher_sdk_major_is_refused_as_incompatible_without_running_it()
    {
        _directory.WithStandard().WithTestPlugin("Crm.TestPlugins.FutureSdk");
        using var plugins = new InProcessPlugins(_directory);

        var future = plugins.Plugin("Crm.TestPlugins.FutureSdk");
        Assert.Equal(PluginState.Incompatible, future.State);
        Assert.Equal("2.0.0.0", future.SdkVersion);
        Assert.Contains("supports Crm.Sdk 1.x", future.Reason);
        Assert.DoesNotContain("must never run", future.Reason);
    }

    [Fact]
    public async Task Plugin_sorting_before_the_standard_one_cannot_take_a_built_in_strategy_name()
    {
        // Acme.Takeover sorts before Crm.Plugins.Standard and offers its own "least-loaded" (picking the last candidate).
        _directory.WithStandard().WithTestPlugin("Crm.TestPlugins.Takeover", "Acme.Takeover");
        using var plugins = new InProcessPlugins(_directory);

        var request = Leads.Request() with
        {
            Candidates = [new() { RepId = "idle", OwnedCount = 0 }, new() { RepId = "busy", OwnedCount = 50 }],
        };
        var outcome = await plugins.Runner.ChooseAsync("always-missing", "least-loaded", request);
        Assert.Equal("idle", outcome.Value!.RepId);

        var takeover = plugins.Plugin("Acme.Takeover");
        Assert.Equal(PluginState.Loaded, takeover.State);
        Assert.Contains(takeover.Warnings, w => w.Contains("'least-loaded'") && w.Contains("Crm.Plugins.Standard"));
        // The listing names only what the plugin really offers: not the refused built-in name, nor its own name twice.
        Assert.Equal(["takeover-own"], takeover.AssignmentStrategies);
        Assert.Empty(plugins.Plugin("Crm.Plugins.Standard").Warnings);
        Assert.Contains("least-loaded", plugins.Plugin("Crm.Plugins.Standard").AssignmentStrategies);
    }

    [Fact]
    public void Second_plugin_with_the_same_name_is_not_loaded_and_the_reason_names_both_folders()
    {
        // Crm.TestPlugins.Impostor calls itself "Acme.Assignment", the name of Crm.TestPlugins.Good, and loads after it.
        _directory.WithStandard().WithTestPlugin("Crm.TestPlugins.Good").WithTestPlugin("Crm.TestPlugins.Impostor");
        using var plugins = new InProcessPlugins(_directory);

        Assert.Equal(PluginState.Loaded, plugins.Plugin("Crm.TestPlugins.Good").State);
        var impostor = plugins.Plugin("Crm.TestPlugins.Impostor");
        Assert.Equal(PluginState.Failed, impostor.State);
        Assert.Contains("'Acme.Assignment'", impostor.Reason);
        Assert.Contains("Crm.TestPlugins.Good", impostor.Reason);
        Assert.Contains("Crm.TestPlugins.Impostor", impostor.Reason);
        Assert.Empty(impostor.AssignmentStrategies);
        Assert.Null(plugins.Host.RentAssignment("impostor-pick"));
        Assert.DoesNotContain("impostor-visit", plugins.Host.NoteTemplates.Select(t => t.Id));
        Assert.Single(plugins.Host.Describe().Items, p => p.Name == "Acme.Assignment" && p.State == PluginState.Loaded);
    }

    [Fact]
    public async Task Plugin_whose_dependency_is_present_loads_and_uses_it()
    {
        _directory.WithTestPlugin("Crm.TestPlugins.LazyDependency");
        using var plugins = new InProcessPlugins(_directory);

        Assert.Equal(PluginState.Loaded, plugins.Plugin("Crm.TestPlugins.LazyDependency").State);
        var outcome = await plugins.Runner.ChooseAsync("lazy-priced", null, Leads.Request());
        Assert.Equal("pricing rules", outcome.Value!.Reason);
    }

    [Fact]
    public void Plugin_built_against_a_higher_sdk_minor_is_incompatible_and_both_versions_are_named()
    {
        _directory.WithStandard().WithTestPlugin("Crm.TestPlugins.NextMinorSdk");
        using var plugins = new InProcessPlugins(_directory);

        var newer = plugins.Plugin("Crm.TestPlugins.NextMinorSdk");
        Assert.Equal(PluginState.Incompatible, newer.State);
        Assert.Equal("1.1.0.0", newer.SdkVersion);
        Assert.Contains("Crm.Sdk 1.1.0.0", newer.Reason);
        Assert.Contains("Crm.Sdk 1.0.0.0", newer.Reason);
        Assert.DoesNotContain("Missing dependency", newer.Reason);
    }

    [Fact]
    public void Folder_holding_a_bad_assembly_is_reported_failed_and_the_rest_still_loads()
    {
        _directory.WithStandard().WithGarbageAssembly("Acme.Corrupt");
        using var plugins = new InProcessPlugins(_directory);

        var corrupt = plugins.Plugin("Acme.Corrupt");
        Assert.Equal(PluginState.Failed, corrupt.State);
        Assert.Contains("Not a valid .NET assembly", corrupt.Reason);
        Assert.Equal(PluginState.Loaded, plugins.Plugin("Crm.Plugins.Standard").State);
    }

    [Fact]
    public void Folder_without_an_assembly_of_its_name_is_reported_failed()
    {
        _directory.WithStandard();
        Directory.CreateDirectory(Path.Combine(_directory.Path, "Empty.Plugin"));
        using var plugins = new InProcessPlugins(_directory);

        Assert.Contains("no Empty.Plugin.dll", plugins.Plugin("Empty.Plugin").Reason);
    }
}
