using Crm.Client;
using Crm.Server.Api.Common;
using Crm.Server.Auth;
using Crm.Server.Permissions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Audit;

/// <summary>The audit log of permission-relevant actions, for admins.</summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/audit").WithTags("Audit").RequireAuthorization(Policies.Admin).MapGet("/", List);
        return app;
    }

    private static async Task<Results<Ok<Page<AuditEntry>>, ValidationProblem>> List(
        string? action, string? targetId, string? actorId, int? page, int? pageSize, AuditLog audit)
    {
        var validation = new Validation().CheckPaging(page, pageSize)
            .MaxLength(action, "action", 64).MaxLength(targetId, "targetId", 64).MaxLength(actorId, "actorId", 64);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var (limit, offset) = Paging.LimitOffset(page, pageSize);
        return TypedResults.Ok(await audit.ListAsync(action, targetId, actorId, limit, offset));
    }
}
