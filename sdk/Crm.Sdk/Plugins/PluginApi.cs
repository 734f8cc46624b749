namespace Crm.Sdk;

/// <summary>The plugin API version, which is the assembly version of <c>Crm.Sdk</c>.</summary>
public static class PluginApi
{
    /// <summary>
    /// The version of this <c>Crm.Sdk</c>. The host refuses a plugin built against a higher major version than its
    /// own; a lower or equal major version loads.
    /// </summary>
    public static Version Version { get; } = typeof(PluginApi).Assembly.GetName().Version ?? new Version(1, 0, 0, 0);
}
