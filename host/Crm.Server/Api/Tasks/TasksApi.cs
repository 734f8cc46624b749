using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Org;
using Crm.Grains.Tasks;
using Crm.Server.Api.Common;
using Crm.Server.Auth;
using Crm.Server.Org;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Tasks;

/// <summary>Tasks (docs/tasks-and-notifications.md): the task's grain decides, the task tables answer the to-do and progress.</summary>
public static class TasksApi
{
    public const int MaxPerCompletion = 200;

    public static IEndpointRouteBuilder MapTasksApi(this IEndpointRouteBuilder app)
    {
        var tasks = app.MapGroup("/api/tasks").WithTags("Tasks").RequireAuthorization();
        tasks.MapPost("/", Create);
        tasks.MapGet("/{id}", Get);
        tasks.MapGet("/{id}/progress", Progress);
        tasks.MapPost("/{id}/complete", Complete);
        tasks.MapPost("/{id}/reassign", Reassign);
        tasks.MapPost("/{id}/cancel", Cancel);
        app.MapGroup("/api/reps").WithTags("Tasks").RequireAuthorization().MapGet("/{id}/tasks", RepTasks);
        return app;
    }

    private static async Task<Results<Created<TaskDto>, ValidationProblem, ProblemHttpResult>> Create(
        CreateTaskRequest request, HttpContext http, IGrainFactory grains, TaskQueries queries, OrgTreeCache tree, TimeProvider clock)
    {
        var validation = TaskInput.Check(request, clock.GetUtcNow());
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var customers = await queries.VisibleCustomersAsync(request.CustomerIds!, http.User.ToVisibility());
        var unknown = request.CustomerIds!.Where(id => !customers.ContainsKey(id)).Take(5).ToList();
        if (unknown.Count > 0)
        {
            return new Validation().Check(false, "customerIds", $"Unknown customers, or not yours to see: {string.Join(", ", unknown)}.").ToProblem();
        }

        var actor = http.User.ToActor();
        var resolved = await TaskInput.ResolveAsync(request, actor, tree, queries, grains);
        if (resolved.Error is { } refused)
        {
            return refused.Status == 400 ? ApiResults.Invalid(refused) : ApiResults.Problem(refused);
        }

        var (assignments, unitId) = resolved.Value;
        var task = new NewTask(request.Title!.Trim(), request.Kind!, request.Goal, request.Notes, unitId, request.DueAt!.Value, assignments);
        var created = await grains.GetGrain<ITaskGrain>(Guid.NewGuid().ToString("N")).Create(task, actor);
        if (created.Error is { } error)
        {
            return error.Status == 400 ? ApiResults.Invalid(error) : ApiResults.Problem(error);
        }

        return TypedResults.Created($"/api/tasks/{created.Value!.Header.Id}", created.Value.ToDto());
    }

    private static async Task<Results<Ok<TaskDto>, ProblemHttpResult>> Get(string id, HttpContext http, IGrainFactory grains, OrgTreeCache tree)
    {
        var (task, manages) = await VisibleAsync(id, http, grains, tree);
        return task is null ? ApiResults.NotFound("Task", Short(id)) : TypedResults.Ok(task.ToDto(manages ? null : http.User.ToActor().UserId));
    }

    private static async Task<Results<Ok<TaskProgressDto>, ProblemHttpResult>> Progress(
        string id, HttpContext http, IGrainFactory grains, OrgTreeCache tree, TaskQueries queries, TimeProvider clock)
    {
        var (task, manages) = await VisibleAsync(id, http, grains, tree);
        return task is null || !manages ? ApiResults.NotFound("Task", Short(id)) : TypedResults.Ok(await queries.ProgressAsync(task.Header.Id, clock.GetUtcNow()));
    }

    private static async Task<Results<Ok<TaskDto>, ValidationProblem, ProblemHttpResult>> Complete(
        string id, CompleteTaskRequest request, HttpContext http, IGrainFactory grains, OrgTreeCache tree)
    {
        var ids = request.CustomerIds;
        var validation = new Validation().Require(request.Outcome, "outcome", 200).MaxLength(request.Text, "text", 4000)
            .Check(ids is null || ids.Count is >= 1 and <= MaxPerCompletion, "customerIds", $"Name 1 to {MaxPerCompletion} customers, or none for all of yours.")
            .Check(ids is null || ids.Distinct().Count() == ids.Count, "customerIds", "Customer ids must be distinct.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var (task, _) = await VisibleAsync(id, http, grains, tree);
        if (task is null)
        {
            return ApiResults.NotFound("Task", Short(id));
        }

        var actor = http.User.ToActor();
        return Answer(await grains.GetGrain<ITaskGrain>(task.Header.Id).Complete(new CompleteTask(ids, request.Outcome!.Trim(), request.Text, request.Type?.ToString().ToLowerInvariant()), actor), actor);
    }

    private static async Task<Results<Ok<TaskDto>, ValidationProblem, ProblemHttpResult>> Reassign(
        string id, ReassignTaskRequest request, HttpContext http, IGrainFactory grains, OrgTreeCache tree)
    {
        var validation = new Validation().Require(request.ToRepId, "toRepId", 64).MaxLength(request.FromRepId, "fromRepId", 64)
            .Check(request.CustomerIds is null || request.CustomerIds.Count is >= 1 and <= TaskInput.MaxCustomers, "customerIds",
                $"Name 1 to {TaskInput.MaxCustomers} customers, or none for all open ones.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var (task, _) = await VisibleAsync(id, http, grains, tree);
        if (task is null)
        {
            return ApiResults.NotFound("Task", Short(id));
        }

        var actor = http.User.ToActor();
        return Answer(await grains.GetGrain<ITaskGrain>(task.Header.Id).Reassign(new ReassignTask(request.ToRepId!, request.FromRepId, request.CustomerIds), actor), actor);
    }

    private static async Task<Results<Ok<TaskDto>, ValidationProblem, ProblemHttpResult>> Cancel(string id, HttpContext http, IGrainFactory grains, OrgTreeCache tree)
    {
        var (task, _) = await VisibleAsync(id, http, grains, tree);
        if (task is null)
        {
            return ApiResults.NotFound("Task", Short(id));
        }

        var actor = http.User.ToActor();
        return Answer(await grains.GetGrain<ITaskGrain>(task.Header.Id).Cancel(actor), actor);
    }

    /// <summary>A rep's to-do: its own for a rep, its reps' for a manager, anyone's for an admin.</summary>
    private static async Task<Results<Ok<Page<RepTaskDto>>, ValidationProblem, ProblemHttpResult>> RepTasks(
        string id, string? status, int? page, int? pageSize, HttpContext http, TaskQueries queries, UserDirectory users, TimeProvider clock)
    {
        var validation = new Validation().CheckPaging(page, pageSize)
            .Check(status is null || TaskStatuses.Filters.Contains(status), "status", $"'status' must be one of {string.Join(", ", TaskStatuses.Filters)}.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var visibility = http.User.ToVisibility();
        if (visibility.Role == UserRole.Rep ? id != visibility.UserId : !await users.IsVisibleAsync(id, visibility))
        {
            return ApiResults.NotFound("Rep", Short(id));
        }

        var (limit, offset) = Paging.LimitOffset(page, pageSize);
        return TypedResults.Ok(await queries.RepTasksAsync(id, status ?? TaskStatuses.Open, clock.GetUtcNow(), limit, offset));
    }

    /// <summary>
    /// The task if the caller may see it (an assignee, whoever gave it, a manager above its unit, an admin), and whether
    /// the caller manages it (sees every item and the progress). Anyone else gets a 404, as for anything out of reach.
    /// </summary>
    private static async Task<(TaskSnapshot? Task, bool Manages)> VisibleAsync(string id, HttpContext http, IGrainFactory grains, OrgTreeCache tree)
    {
        if (id.Length is 0 or > 64)
        {
            return (null, false);
        }

        var actor = http.User.ToActor();
        if (await grains.GetGrain<ITaskGrain>(id).Get() is not { } task)
        {
            return (null, false);
        }

        var manages = TaskRules.CanManage(actor, task.Header, task.Header.OrgUnitId is { } unit ? await tree.PathOf(unit) : null);
        return manages || task.Items.Any(i => i.AssigneeId == actor.UserId) ? (task, manages) : (null, false);
    }

    private static Results<Ok<TaskDto>, ValidationProblem, ProblemHttpResult> Answer(Result<TaskSnapshot> result, Actor actor)
    {
        if (result.Error is { } error)
        {
            return error.Status == 400 ? ApiResults.Invalid(error) : ApiResults.Problem(error);
        }

        var task = result.Value!;
        return TypedResults.Ok(task.ToDto(actor.Role == UserRole.Rep && task.Header.CreatedBy != actor.UserId ? actor.UserId : null));
    }

    private static string Short(string id) => id.Length > 64 ? id[..64] : id;
}
