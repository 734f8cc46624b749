using Crm.Sdk;

namespace Crm.Plugins.Standard.Assignment;

/// <summary>
/// The region of a lead: its region field when set, else the longest known region name found in its address
/// (so "Pudong, Shanghai" finds "Shanghai" when a rep or a unit covers Shanghai).
/// </summary>
internal static class LeadRegion
{
    public static string? Resolve(CustomerSnapshot lead, IReadOnlyList<RepCandidate> candidates, IEnumerable<string>? moreRegions = null)
    {
        if (!string.IsNullOrWhiteSpace(lead.Region))
        {
            return lead.Region.Trim();
        }

        if (string.IsNullOrWhiteSpace(lead.Address))
        {
            return null;
        }

        // Many reps share a region: look each distinct name up in the address once.
        string? found = null;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        void Consider(string region)
        {
            if (region.Length > (found?.Length ?? 0) && seen.Add(region) && lead.Address.Contains(region, StringComparison.OrdinalIgnoreCase))
            {
                found = region;
            }
        }

        for (var i = 0; i < candidates.Count; i++)
        {
            var regions = candidates[i].Regions;
            for (var j = 0; j < regions.Count; j++)
            {
                Consider(regions[j]);
            }
        }

        foreach (var region in moreRegions ?? [])
        {
            Consider(region);
        }

        return found;
    }
}
