using System.Net;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Tasks;

/// <summary>Tasks over HTTP on a real server: a manager splits a call round over the team, reps work their to-do, the manager watches progress.</summary>
public abstract class TasksApiTests
{
    protected abstract ServerProcess Server { get; }

    private static DateTimeOffset InThreeDays => DateTimeOffset.UtcNow.AddDays(3);

    [Fact]
    public async Task A_split_round_lands_in_each_reps_todo_and_completing_records_follow_ups_and_progress()
    {
        var world = await TestWorld.CreateAsync(Server);
        var ofA = await OwnedAsync(world, world.RepA, 2);
        var ofB = await OwnedAsync(world, world.RepB, 2);
        var created = (await world.Manager.SendAsync<TaskDto>(HttpMethod.Post, "/api/tasks", new CreateTaskRequest(
            "Call the expo leads", TaskKinds.Call, [.. ofA, .. ofB], InThreeDays, Split: new TaskSplit(world.OrgUnitId, TaskSplitModes.Even),
            Goal: "≥ 10% converted"))).EnsureStatus(HttpStatusCode.Created).Value!;
        // Each customer goes to its owner: only the owner can record its follow-ups.
        Assert.Equal(ofA.Order(), created.Items.Where(i => i.AssigneeId == world.RepA.UserId).Select(i => i.CustomerId).Order());

        var todo = await TodoAsync(world.RepA, TaskStatuses.Open);
        var mine = Assert.Single(todo.Items, t => t.TaskId == created.Id);
        Assert.Equal(ofA.Order(), mine.CustomerIds);
        Assert.Contains(await NotificationTypesAsync(world.RepA), t => t == nameof(TaskAssigned));

        var done = (await world.RepA.SendAsync<TaskDto>(HttpMethod.Post, $"/api/tasks/{created.Id}/complete",
            new CompleteTaskRequest("reached, sending a quote", [ofA[0]]))).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(TaskStatuses.Done, done.Items.Single(i => i.CustomerId == ofA[0]).Status);
        Assert.All(done.Items, i => Assert.Equal(world.RepA.UserId, i.AssigneeId)); // a rep sees its own items only
        var timeline = (await world.RepA.TimelineAsync(ofA[0])).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Contains(timeline, e => e.Kind == "follow-up" && e.Data["outcome"] == "reached, sending a quote" && e.Data["type"] == "call");
        (await world.RepA.ChangeStageAsync(ofA[0], Stage.Customer)).EnsureStatus(HttpStatusCode.OK);

        var progress = (await world.Manager.SendAsync<TaskProgressDto>(HttpMethod.Get, $"/api/tasks/{created.Id}/progress")).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal((4, 3, 1, 1, 0), (progress.Total, progress.Open, progress.Done, progress.Converted, progress.Overdue));
        Assert.Equal(1, progress.Reps.Single(r => r.RepId == world.RepA.UserId).Done);
        Assert.Single((await TodoAsync(world.RepA, TaskStatuses.Done)).Items, t => t.TaskId == created.Id && t.CustomerIds.SequenceEqual([ofA[0]]));

        // Done once is done: a second completion of the same customer is a conflict, and the rep cannot cancel the manager's task.
        Assert.Equal(ErrorCodes.TaskClosed, (await world.RepA.SendAsync<TaskDto>(HttpMethod.Post, $"/api/tasks/{created.Id}/complete",
            new CompleteTaskRequest("again", [ofA[0]]))).Code);
        (await world.RepA.SendAsync<TaskDto>(HttpMethod.Post, $"/api/tasks/{created.Id}/cancel")).EnsureStatus(HttpStatusCode.Forbidden);

        // The manager moves B's open items to A; B's to-do empties, A hears of it.
        (await world.Manager.SendAsync<TaskDto>(HttpMethod.Post, $"/api/tasks/{created.Id}/reassign",
            new ReassignTaskRequest(world.RepA.UserId, FromRepId: world.RepB.UserId))).EnsureStatus(HttpStatusCode.OK);
        Assert.DoesNotContain((await TodoAsync(world.RepB, TaskStatuses.Open)).Items, t => t.TaskId == created.Id);
        Assert.Equal(3, (await TodoAsync(world.RepA, TaskStatuses.Open)).Items.Single(t => t.TaskId == created.Id).CustomerIds.Count);

        var cancelled = (await world.Manager.SendAsync<TaskDto>(HttpMethod.Post, $"/api/tasks/{created.Id}/cancel")).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(TaskStatuses.Cancelled, cancelled.Status);
        Assert.DoesNotContain((await TodoAsync(world.RepA, TaskStatuses.Open)).Items, t => t.TaskId == created.Id);
    }

    [Fact]
    public async Task A_rep_gives_tasks_to_itself_only()
    {
        var world = await TestWorld.CreateAsync(Server);
        var customer = (await OwnedAsync(world, world.RepA, 1))[0];
        (await world.RepA.SendAsync<TaskDto>(HttpMethod.Post, "/api/tasks",
            new CreateTaskRequest("Bring samples", TaskKinds.Visit, [customer], InThreeDays, AssigneeId: world.RepA.UserId))).EnsureStatus(HttpStatusCode.Created);
        (await world.RepA.SendAsync<TaskDto>(HttpMethod.Post, "/api/tasks",
            new CreateTaskRequest("Bring samples", TaskKinds.Visit, [customer], InThreeDays, AssigneeId: world.RepB.UserId))).EnsureStatus(HttpStatusCode.Forbidden);
        (await world.RepA.SendAsync<TaskDto>(HttpMethod.Post, "/api/tasks",
            new CreateTaskRequest("Bring samples", TaskKinds.Visit, [customer], InThreeDays, Split: new TaskSplit(world.OrgUnitId, "even")))).EnsureStatus(HttpStatusCode.Forbidden);
        (await world.RepB.SendAsync<Page<RepTaskDto>>(HttpMethod.Get, $"/api/reps/{world.RepA.UserId}/tasks")).EnsureStatus(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Bad_input_is_refused_with_field_errors()
    {
        var world = await TestWorld.CreateAsync(Server);
        var bad = await world.Manager.SendAsync<TaskDto>(HttpMethod.Post, "/api/tasks", new CreateTaskRequest(
            new string('x', 201), "meeting", [], DateTimeOffset.UtcNow.AddDays(-1), AssigneeId: world.RepA.UserId, Split: new TaskSplit(world.OrgUnitId, "random")));
        bad.EnsureStatus(HttpStatusCode.BadRequest);
        Assert.Equal(["assigneeId", "customerIds", "dueAt", "kind", "split.by", "title"], bad.ErrorFields.Order(StringComparer.Ordinal));

        var unknown = await world.Manager.SendAsync<TaskDto>(HttpMethod.Post, "/api/tasks",
            new CreateTaskRequest("Call", TaskKinds.Call, [Guid.NewGuid()], InThreeDays, AssigneeId: world.RepA.UserId));
        Assert.Equal(["customerIds"], unknown.EnsureStatus(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Equal(["status"], (await world.RepA.SendAsync<Page<RepTaskDto>>(HttpMethod.Get, $"/api/reps/{world.RepA.UserId}/tasks?status=late"))
            .EnsureStatus(HttpStatusCode.BadRequest).ErrorFields);
        (await world.Manager.SendAsync<TaskDto>(HttpMethod.Get, $"/api/tasks/{Guid.NewGuid():N}")).EnsureStatus(HttpStatusCode.NotFound);

        var lead = await world.NewLeadAsync();
        var noReps = await world.Admin.SendAsync<TaskDto>(HttpMethod.Post, "/api/tasks", new CreateTaskRequest("Call", TaskKinds.Call, [lead.Id], InThreeDays,
            Split: new TaskSplit((await world.Admin.CreateOrgUnitAsync($"Empty {Guid.NewGuid():N}")).Value!.Id, "capacity")));
        Assert.Equal(ErrorCodes.NoReps, noReps.EnsureStatus(HttpStatusCode.Conflict).Code);
    }

    private static async Task<List<Guid>> OwnedAsync(TestWorld world, CrmApi rep, int count)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await world.Admin.CreateCustomerAsync(new CreateCustomerRequest($"Task lead {Guid.NewGuid():N}", PoolId: world.PoolId, OwnerId: rep.UserId)))
                .EnsureStatus(HttpStatusCode.Created).Value!.Id);
        }

        return ids;
    }

    private static async Task<Page<RepTaskDto>> TodoAsync(CrmApi rep, string status) =>
        (await rep.SendAsync<Page<RepTaskDto>>(HttpMethod.Get, $"/api/reps/{rep.UserId}/tasks?status={status}")).EnsureStatus(HttpStatusCode.OK).Value!;

    private static async Task<IReadOnlyList<string>> NotificationTypesAsync(CrmApi user) =>
        (await user.SendAsync<Page<Notification>>(HttpMethod.Get, "/api/notifications?pageSize=100")).EnsureStatus(HttpStatusCode.OK).Value!.Items.Select(n => n.Type).ToList();
}

[Collection(ServerCollection.Name)]
public sealed class SqliteTasksApiTests(ServerFixture fixture) : TasksApiTests
{
    protected override ServerProcess Server => fixture.Server;
}

[Collection(PostgresServerCollection.Name)]
public sealed class PostgresTasksApiTests(PostgresServerFixture fixture) : TasksApiTests
{
    protected override ServerProcess Server => fixture.Server;
}
