using Crm.Sdk;

namespace Crm.Plugins.Standard.Assignment;

/// <summary>
/// The region of a lead: its region field when set, else the longest known region name found in its address
/// (so "Pudong, Shanghai" finds "Shanghai" when a rep or a unit covers Shanghai).
/// </summary>
internal static class LeadRegion
{
    public static string? Resolve(CustomerSnapshot lead, IEnumerable<string> knownRegions)
    {
        if (!string.IsNullOrWhiteSpace(lead.Region))
        {
            return lead.Region.Trim();
        }

        if (string.IsNullOrWhiteSpace(lead.Address))
        {
            return null;
        }

        string? found = null;
        foreach (var region in knownRegions)
        {
            if (region.Length > (found?.Length ?? 0) && lead.Address.Contains(region, StringComparison.OrdinalIgnoreCase))
            {
                found = region;
            }
        }

        return found;
    }

    public static IEnumerable<string> KnownBy(IReadOnlyList<RepCandidate> candidates) =>
        candidates.SelectMany(c => c.Regions);
}
