using System.ComponentModel.DataAnnotations;

namespace Crm.Server.Plugins;

/// <summary><c>Crm:Plugins</c>. Where plugin folders live and how long their code may run.</summary>
public sealed class PluginOptions
{
    public const string Section = "Crm:Plugins";

    /// <summary>The plugins directory; each subfolder is one plugin. Relative paths start next to the server binary.</summary>
    [Required]
    public string Directory { get; set; } = "plugins";

    /// <summary>Time budget of one strategy call; past it the pool's fallback answers and a fault is counted.</summary>
    [Range(1, 600_000)]
    public int CallTimeoutMilliseconds { get; set; } = 1000;

    /// <summary>How long a plugin's <c>Register</c> may take before the plugin is reported failed.</summary>
    [Range(1, 600)]
    public int LoadTimeoutSeconds { get; set; } = 10;

    /// <summary>When this many calls of a strategy run past their budget, it is skipped until they return.</summary>
    [Range(1, 1000)]
    public int MaxCallsPastBudget { get; set; } = 4;

    public string FullDirectory => Path.GetFullPath(Directory, AppContext.BaseDirectory);
}
