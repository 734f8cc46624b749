namespace Crm.Sdk;

/// <summary>
/// The entry point of a plugin. The host creates one instance of every public, non-abstract class that
/// implements this interface (it needs a public parameterless constructor) and calls <see cref="Register"/> once
/// per load. The plugin's version is its assembly's informational version (the <c>Version</c> property in its
/// project file).
/// </summary>
public interface ICrmPlugin
{
    /// <summary>A short, unique, human-readable name, e.g. <c>Acme.Assignment</c>. Shown in <c>GET /api/plugins</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Registers what the plugin offers. Called once per load; keep it quick and free of I/O. An exception here
    /// marks the plugin as failed and the host skips it.
    /// </summary>
    /// <param name="registry">Where the plugin adds its strategies and templates.</param>
    void Register(IPluginRegistry registry);
}
