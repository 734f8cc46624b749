using System.Net;
using System.Text.Json;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Permissions;

/// <summary>The task requests of the permission matrix: tasks the admin gave to the target unit's rep, or the caller's own.</summary>
public static class TaskProbes
{
    public static DateTimeOffset DueAt() => DateTimeOffset.UtcNow.AddDays(3);

    public static Task<ApiResponse<TaskDto>> CreateForAsync(CrmApi caller, WorldUnit target) =>
        caller.SendAsync<TaskDto>(HttpMethod.Post, "/api/tasks",
            new CreateTaskRequest("Call back", TaskKinds.Custom, [target.Owned.Id], DueAt(), AssigneeId: target.RepId));

    public static Task<ApiResponse<TaskDto>> SplitAsync(CrmApi caller, WorldUnit target) =>
        caller.SendAsync<TaskDto>(HttpMethod.Post, "/api/tasks",
            new CreateTaskRequest("Call round", TaskKinds.Custom, [target.Owned.Id], DueAt(), Split: new TaskSplit(target.UnitId, TaskSplitModes.Even)));

    /// <summary>
    /// A task the admin gave to the unit's rep about a fresh customer of that rep, or about a fresh unowned lead of the
    /// unit's pool (which any rep of the unit may be given, to claim: what a reassignment to another rep needs).
    /// </summary>
    public static async Task<string> AdminTaskAsync(WorldUnit target, bool overLead = false) =>
        (await target.World.Admin.SendAsync<TaskDto>(HttpMethod.Post, "/api/tasks",
            new CreateTaskRequest("Matrix task", TaskKinds.Custom, [(overLead ? await target.NewLeadAsync() : await target.NewOwnedAsync()).Id], DueAt(),
                AssigneeId: target.RepId)))
        .EnsureStatus(HttpStatusCode.Created).Value!.Id;

    public static async Task<ApiResponse<JsonElement>> OnAdminTaskAsync(MatrixCell c, string action, object? body = null, bool overLead = false) =>
        await c.Caller.SendAsync<JsonElement>(HttpMethod.Post, $"/api/tasks/{await AdminTaskAsync(c.Target, overLead)}/{action}", body);
}
