using System.Text.Json;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Cluster;

/// <summary>Waits until the cluster's membership (GET /api/admin/cluster) lists the expected number of active silos.</summary>
public static class ClusterMembership
{
    public static async Task WaitForSilosAsync(CrmApi admin, int expected, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        var silos = 0;
        while (DateTime.UtcNow < deadline)
        {
            var cluster = await admin.GetAsync("/api/admin/cluster");
            silos = cluster.Value.ValueKind == JsonValueKind.Array ? cluster.Value.GetArrayLength() : 0;
            if (silos == expected)
            {
                return;
            }

            await Task.Delay(500);
        }

        Assert.Fail($"Expected {expected} active silos, saw {silos}");
    }
}
