using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Plugins;

/// <summary>
/// <c>dotnet new crm-plugin</c> as an integrator uses it: install the template from templates/crm-plugin, create a plugin,
/// build it, and load it into a running server, which lists it and runs its strategy.
/// </summary>
public sealed class PluginTemplateTests : IDisposable
{
    private readonly TempDirectory _work = new("crm-template");

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task A_plugin_made_with_dotnet_new_crm_plugin_builds_and_loads_into_a_running_server()
    {
        // A private template store (custom hive): the user's own dotnet new installs stay untouched.
        var hive = Path.Combine(_work.Path, "hive");
        var project = Path.Combine(_work.Path, "Contoso.Leads");
        var sdkProject = Path.Combine(RepoPaths.Root, "sdk", "Crm.Sdk", "Crm.Sdk.csproj");
        await DotnetAsync(_work.Path, "new", "install", Path.Combine(RepoPaths.Root, "templates", "crm-plugin"), "--debug:custom-hive", hive);
        await DotnetAsync(_work.Path, "new", "crm-plugin", "-n", "Contoso.Leads", "-o", project, "--SdkProject", sdkProject, "--debug:custom-hive", hive);
        Assert.Contains("namespace Contoso.Leads;", await File.ReadAllTextAsync(Path.Combine(project, "Plugin.cs")));

        // The SDK is built with the solution: the plugin compiles against it and does not rebuild it.
        await DotnetAsync(project, "build", "-c", RepoPaths.Configuration, "-nologo", "-clp:ErrorsOnly", "-p:BuildProjectReferences=false", "--disable-build-servers");
        var output = Path.Combine(project, "bin", RepoPaths.Configuration, "net10.0");
        Assert.False(File.Exists(Path.Combine(output, "Crm.Sdk.dll")), "the plugin ships Crm.Sdk.dll: the server provides it");

        using var plugins = new PluginDirectory().WithBuildOutput(output, "Contoso.Leads");
        using var data = new TempDirectory("crm-template-server");
        await using var server = await ServerProcess.StartAsync(data.Path, new Dictionary<string, string> { ["Crm__Plugins__Directory"] = plugins.Path });
        var admin = await server.Api().LoginAsAdminAsync();

        var listing = (await admin.GetAsync("/api/plugins")).Value;
        var plugin = listing.GetProperty("items").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "Contoso.Leads");
        Assert.Equal("loaded", plugin.GetProperty("state").GetString());
        Assert.Equal(["contoso.leads-fewest-today"], Names(plugin, "assignmentStrategies"));
        Assert.Equal(["contoso.leads-phone-digits"], Names(plugin, "dedupStrategies"));
        Assert.Equal(["contoso.leads-first-visit"], Names(plugin, "noteTemplates"));

        var trial = await admin.SendAsync<JsonElement>(HttpMethod.Post, "/api/plugins/assignment/contoso.leads-fewest-today/trial", new
        {
            lead = new { id = "1", name = "Ivan Petrov" },
            candidates = new[] { new { repId = "anna", receivedToday = 3 }, new { repId = "boris", receivedToday = 1 } },
            pool = new { poolId = "east" },
            now = "2026-03-02T09:00:00Z",
        });
        Assert.Equal(HttpStatusCode.OK, trial.Status);
        Assert.Equal(("contoso.leads-fewest-today", "boris"), (trial.Value.GetProperty("usedStrategy").GetString(), trial.Value.GetProperty("repId").GetString()));
    }

    private static string[] Names(JsonElement plugin, string property) =>
        plugin.GetProperty(property).EnumerateArray().Select(n => n.GetString()!).ToArray();

    private static async Task DotnetAsync(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', args)} failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
    }
}
