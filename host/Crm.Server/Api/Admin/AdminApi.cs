using Crm.Grains.Customers;
using Crm.Grains.EventLog;
using Crm.Server.Api.Customers;
using Crm.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Admin;

public static class AdminApi
{
    public sealed record RebuildResult(int Customers, int Removed);

    public sealed record SiloInfo(string Address, string Name, string Status, DateTimeOffset StartedAt);

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/admin").WithTags("Admin").RequireAuthorization(Policies.Admin);
        api.MapPost("/projections/rebuild", Rebuild);
        api.MapGet("/cluster", Cluster);
        api.MapGet("/cluster/customers/{id:guid}", CustomerSilo);
        return app;
    }

    /// <summary>The silos of this cluster that are up: one in the embedded profile, any number on PostgreSQL.</summary>
    private static async Task<Ok<IReadOnlyList<SiloInfo>>> Cluster(IGrainFactory grains)
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: true);
        return TypedResults.Ok<IReadOnlyList<SiloInfo>>(hosts
            .Select(h => new SiloInfo(h.SiloAddress.ToParsableString(), h.SiloName, h.Status.ToString(), h.StartTime))
            .OrderBy(s => s.Address)
            .ToList());
    }

    public sealed record GrainLocation(string? Silo);

    /// <summary>
    /// The silo one customer's grain is active on (null when it is not active), as the cluster last knew it: shows where
    /// reads of it are local (see ReadAffinity).
    /// </summary>
    private static async Task<Ok<GrainLocation>> CustomerSilo(Guid id, IGrainFactory grains) =>
        TypedResults.Ok(new GrainLocation(
            (await grains.GetGrain<IManagementGrain>(0).GetActivationAddress(grains.GetGrain<ICustomerGrain>(id)))?.ToParsableString()));

    /// <summary>
    /// Re-projects every customer from its snapshot (and re-syncs private pools and the dedup index): heals a read model
    /// that was damaged or lost. Customers merged away are counted as removed.
    /// </summary>
    private static async Task<Ok<RebuildResult>> Rebuild(IGrainFactory grains, CustomerEventLog customers, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var logger = logs.CreateLogger("Crm.Rebuild");
        int projected = 0, removed = 0;
        string? after = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            var ids = await customers.IdsAfterAsync(after, 500);
            if (ids.Count == 0)
            {
                break;
            }

            var exists = await Task.WhenAll(ids.Select(id => grains.GetGrain<ICustomerGrain>(id).Reproject()));
            projected += exists.Count(e => e);
            removed += exists.Count(e => !e);
            after = ids[^1].ToString();
            logger.LogInformation("Rebuild: {Projected} customers re-projected so far", projected);
        }

        return TypedResults.Ok(new RebuildResult(projected, removed));
    }
}
