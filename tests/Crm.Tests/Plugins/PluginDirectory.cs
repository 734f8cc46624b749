using Crm.Tests.Infrastructure;

namespace Crm.Tests.Plugins;

/// <summary>
/// A plugins directory for one test, filled from real build outputs: the standard plugin as the server build placed
/// it, and the plugins under tests/plugins as the test build produced them.
/// </summary>
public sealed class PluginDirectory : IDisposable
{
    private readonly TempDirectory _root = new("crm-plugins");

    public string Path => _root.Path;

    public static string StandardOutput => System.IO.Path.Combine(RepoPaths.ServerDirectory, "plugins", "Crm.Plugins.Standard");

    public static string TestPluginOutput(string project) =>
        System.IO.Path.Combine(RepoPaths.Root, "tests", "plugins", project, "bin", RepoPaths.Configuration, "net10.0");

    public PluginDirectory WithStandard() => Install(StandardOutput, "Crm.Plugins.Standard");

    /// <summary>The sample plugin of docs/plugins.md, as its own build produced it.</summary>
    public PluginDirectory WithSample() =>
        Install(System.IO.Path.Combine(RepoPaths.Root, "plugins", "samples", "Acme.CrmPlugin", "bin", RepoPaths.Configuration, "net10.0"), "Acme.CrmPlugin");

    /// <summary>Any plugin's build output (a folder of bin/&lt;Configuration&gt;/net10.0), installed as <paramref name="folderName"/>.</summary>
    public PluginDirectory WithBuildOutput(string source, string folderName) => Install(source, folderName);

    /// <summary>Copies a test plugin's build output into a folder named after its assembly, leaving out <paramref name="without"/>.</summary>
    public PluginDirectory WithTestPlugin(string project, string? assemblyName = null, params string[] without) =>
        Install(TestPluginOutput(project), assemblyName ?? project, without);

    /// <summary>A folder whose main assembly is not a .NET assembly at all.</summary>
    public PluginDirectory WithGarbageAssembly(string name)
    {
        var folder = Directory.CreateDirectory(System.IO.Path.Combine(Path, name));
        File.WriteAllBytes(System.IO.Path.Combine(folder.FullName, name + ".dll"), "MZ this is not an assembly"u8.ToArray());
        return this;
    }

    /// <summary>Replaces a plugin folder with another build, as an admin does before a reload.</summary>
    public PluginDirectory Replace(string project, string assemblyName)
    {
        Directory.Delete(System.IO.Path.Combine(Path, assemblyName), recursive: true);
        return WithTestPlugin(project, assemblyName);
    }

    /// <summary>Removes a plugin folder, as an admin does before a reload that unloads it.</summary>
    public PluginDirectory Remove(string assemblyName)
    {
        Directory.Delete(System.IO.Path.Combine(Path, assemblyName), recursive: true);
        return this;
    }

    public bool Has(string assemblyName) => Directory.Exists(System.IO.Path.Combine(Path, assemblyName));

    public void Dispose() => _root.Dispose();

    private PluginDirectory Install(string source, string folderName, params string[] without)
    {
        if (!Directory.Exists(source))
        {
            throw new InvalidOperationException($"{source} is missing: build the solution (dotnet build Crm.sln) first.");
        }

        var target = Directory.CreateDirectory(System.IO.Path.Combine(Path, folderName)).FullName;
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            if (without.Contains(System.IO.Path.GetFileName(file)))
            {
                continue;
            }

            var destination = System.IO.Path.Combine(target, System.IO.Path.GetRelativePath(source, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
        }

        return this;
    }
}
