using System.Net;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Permissions;

/// <summary>The target requests of the permission matrix: targets the admin set on the target unit or its rep.</summary>
public static class TargetProbes
{
    public const string Period = "2030-01";

    public static async Task<TargetDto> AdminTargetAsync(WorldUnit target, string scope) =>
        (await target.World.Admin.SendAsync<TargetDto>(HttpMethod.Put, "/api/targets",
            new TargetRequest(scope, scope == "rep" ? target.RepId : target.UnitId, Period, "followUps", 10m))).EnsureStatus(HttpStatusCode.OK).Value!;

    public static Task<ApiResponse<TargetProgressReport>> ProgressAsync(CrmApi caller, string scope, string scopeId) =>
        caller.SendAsync<TargetProgressReport>(HttpMethod.Get, $"/api/targets/progress?scope={scope}&scopeId={scopeId}&period={Period}");
}
