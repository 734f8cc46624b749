using Crm.Sdk;

namespace Acme.CrmPlugin;

/// <summary>
/// <c>acme-region-first</c>: the least loaded active rep who covers the lead's region; when nobody does, the least
/// loaded active rep overall (unless the pool option <c>strictRegion</c> is <c>true</c>).
/// </summary>
public sealed class RegionFirstStrategy : IAssignmentStrategy
{
    public string Name => "acme-region-first";

    public AssignmentDecision Choose(AssignmentRequest request)
    {
        var free = request.Candidates.Where(c => c.IsActive && !c.IsFull).ToList();
        var region = request.Lead.Region;
        var local = region is null ? [] : free.Where(c => c.Regions.Contains(region, StringComparer.OrdinalIgnoreCase)).ToList();
        var strict = request.Pool.Options.TryGetValue("strictRegion", out var value) && bool.TryParse(value, out var b) && b;

        var pickFrom = local.Count > 0 ? local : strict ? [] : free;
        var rep = pickFrom.OrderBy(c => c.OwnedCount).ThenBy(c => c.RepId, StringComparer.Ordinal).FirstOrDefault();
        if (rep is null)
        {
            return AssignmentDecision.Nobody(strict ? $"no free rep covers region '{region}'" : "no free rep");
        }

        return AssignmentDecision.Assign(rep.RepId, local.Count > 0 ? $"covers region {region}" : "nobody covers the region; least loaded");
    }
}
