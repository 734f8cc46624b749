using Crm.Client;

namespace Crm.Server.Api.Plugins;

/// <summary>
/// Least disclosure for managers: they see which plugins and strategies are loaded and how they behave (counts), but
/// the server's paths and the exception texts of loads, faults and trials are for admins only.
/// </summary>
public static class PluginDisclosure
{
    public const string Withheld = "(details for admins)";

    public static PluginListDto ForManager(PluginListDto list) => list with
    {
        Directory = Withheld,
        Items = list.Items.Select(p => p with
        {
            Folder = Path.GetFileName(p.Folder.TrimEnd('/', '\\')),
            Reason = p.Reason is null ? null : Withheld,
            Warnings = p.Warnings.Select(_ => Withheld).ToList(),
            Strategies = p.Strategies.Select(s => s with { LastFault = s.LastFault is null ? null : Withheld }).ToList(),
        }).ToList(),
    };

    public static IReadOnlyList<string> Faults(IReadOnlyList<string> faults) => faults.Select(_ => Withheld).ToList();
}
