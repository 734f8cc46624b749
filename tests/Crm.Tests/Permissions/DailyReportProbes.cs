using System.Net;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Permissions;

/// <summary>The daily-report requests of the permission matrix: the report of the unit's rep on a past working day, made by the admin.</summary>
public static class DailyReportProbes
{
    public const string Day = "2025-11-05";

    public static Task<ApiResponse<DailyReportDto>> ReportAsync(CrmApi caller, string repId) =>
        caller.SendAsync<DailyReportDto>(HttpMethod.Get, $"/api/reports/daily?repId={repId}&date={Day}");

    public static async Task<string> AdminReportAsync(WorldUnit target) =>
        (await ReportAsync(target.World.Admin, target.RepId)).EnsureStatus(HttpStatusCode.OK).Value!.Id!;
}
