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

        // B's customers are B's to follow up: the manager hands them to A before moving B's open items to A; B's to-do
        // empties, A hears of it.
        Assert.Equal(ErrorCodes.CannotFollowUp, (await world.Manager.SendAsync<TaskDto>(HttpMethod.Post, $"/api/tasks/{created.Id}/reassign",
            new ReassignTaskRequest(world.RepA.UserId, FromRepId: world.RepB.UserId))).EnsureStatus(HttpStatusCode.Conflict).Code);
        foreach (var customer in ofB)
        {
            (await world.Manager.AssignAsync(customer, world.RepA.UserId)).EnsureStatus(HttpStatusCode.OK);
        }

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
            " ", "meeting", [], DateTimeOffset.UtcNow.AddDays(-1), AssigneeId: world.RepA.UserId, Split: new TaskSplit(world.OrgUnitId, "random")));
        bad.EnsureStatus(HttpStatusCode.BadRequest);
        Assert.Equal(["assigneeId", "customerIds", "dueAt", "kind", "split.by", "title"], bad.ErrorFields.Order(StringComparer.Ordinal));
        // A title past its documented bound (200) is refused by the bounds every request body is checked against first.
        var customer = (await OwnedAsync(world, world.RepA, 1))[0];
        var tooLong = await world.Manager.SendAsync<TaskDto>(HttpMethod.Post, "/api/tasks",
            new CreateTaskRequest(new string('x', 201), TaskKinds.Call, [customer], InThreeDays, AssigneeId: world.RepA.UserId));
        tooLong.EnsureStatus(HttpStatusCode.BadRequest);
        Assert.Equal(["title"], tooLong.ErrorFields);

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

    [Fact]
    public async Task A_split_over_pool_leads_leaves_them_to_claim_and_the_assignee_completes_them_once_claimed()
    {
        var world = await TestWorld.CreateAsync(Server);
        var owned = (await OwnedAsync(world, world.RepA, 1))[0];
        var leads = await LeadsAsync(world, 3);
        var created = (await world.Manager.SendAsync<TaskDto>(HttpMethod.Post, "/api/tasks", new CreateTaskRequest(
            "Call them", TaskKinds.Call, [.. leads, owned], InThreeDays, Split: new TaskSplit(world.OrgUnitId, TaskSplitModes.Even))))
            .EnsureStatus(HttpStatusCode.Created).Value!;
        Assert.Equal(world.RepA.UserId, created.Items.Single(i => i.CustomerId == owned).AssigneeId);
        var ofB = created.Items.Where(i => i.AssigneeId == world.RepB.UserId).Select(i => i.CustomerId).ToList();
        Assert.NotEmpty(ofB);
        Assert.All(ofB, c => Assert.Contains(c, leads));

        // Not claimed yet: the refusal says so, names the leads, and records nothing.
        var refused = await world.RepB.SendAsync<TaskDto>(HttpMethod.Post, $"/api/tasks/{created.Id}/complete", new CompleteTaskRequest("interested"));
        Assert.Equal(ErrorCodes.ClaimFirst, refused.EnsureStatus(HttpStatusCode.Conflict).Code);
        Assert.Equal(ofB.Order(), NamedCustomers(refused));
        Assert.Contains("claim", refused.Body, StringComparison.OrdinalIgnoreCase);
        await AssertOpenWithoutFollowUpAsync(world, created.Id, ofB);

        foreach (var lead in ofB)
        {
            (await world.RepB.ClaimAsync(lead)).EnsureStatus(HttpStatusCode.OK);
        }

        var done = (await world.RepB.SendAsync<TaskDto>(HttpMethod.Post, $"/api/tasks/{created.Id}/complete", new CompleteTaskRequest("interested")))
            .EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.All(done.Items, i => Assert.Equal(TaskStatuses.Done, i.Status));
        foreach (var lead in ofB)
        {
            Assert.Single((await world.RepB.TimelineAsync(lead)).EnsureStatus(HttpStatusCode.OK).Value!, e => e.Kind == "follow-up" && e.Data["outcome"] == "interested");
        }
    }

    [Fact]
    public async Task A_refused_completion_changes_nothing_even_for_the_items_it_could_have_recorded()
    {
        var world = await TestWorld.CreateAsync(Server);
        var leads = await LeadsAsync(world, 2);
        var created = (await world.Manager.SendAsync<TaskDto>(HttpMethod.Post, "/api/tasks", new CreateTaskRequest(
            "Call them", TaskKinds.Call, leads, InThreeDays, AssigneeId: world.RepB.UserId))).EnsureStatus(HttpStatusCode.Created).Value!;
        (await world.RepB.ClaimAsync(leads[0])).EnsureStatus(HttpStatusCode.OK);

        var refused = await world.RepB.SendAsync<TaskDto>(HttpMethod.Post, $"/api/tasks/{created.Id}/complete", new CompleteTaskRequest("interested"));
        Assert.Equal(ErrorCodes.ClaimFirst, refused.EnsureStatus(HttpStatusCode.Conflict).Code);
        Assert.Equal([leads[1]], NamedCustomers(refused));
        await AssertOpenWithoutFollowUpAsync(world, created.Id, leads);

        // The claimed one alone completes; the other after its claim.
        (await world.RepB.SendAsync<TaskDto>(HttpMethod.Post, $"/api/tasks/{created.Id}/complete", new CompleteTaskRequest("interested", [leads[0]])))
            .EnsureStatus(HttpStatusCode.OK);
        (await world.RepB.ClaimAsync(leads[1])).EnsureStatus(HttpStatusCode.OK);
        var done = (await world.RepB.SendAsync<TaskDto>(HttpMethod.Post, $"/api/tasks/{created.Id}/complete", new CompleteTaskRequest("interested")))
            .EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.All(done.Items, i => Assert.Equal(TaskStatuses.Done, i.Status));
        foreach (var lead in leads)
        {
            Assert.Single((await world.RepB.TimelineAsync(lead)).EnsureStatus(HttpStatusCode.OK).Value!, e => e.Kind == "follow-up");
        }
    }

    [Fact]
    public async Task A_task_is_not_given_or_moved_to_a_rep_who_cannot_follow_up_its_customers()
    {
        var world = await TestWorld.CreateAsync(Server);
        var ofA = (await OwnedAsync(world, world.RepA, 1))[0];

        // B cannot even read A's customer: giving B a task about it is refused, naming the customer, and stores nothing.
        (await world.RepB.GetCustomerAsync(ofA)).EnsureStatus(HttpStatusCode.NotFound);
        var refused = await world.Manager.SendAsync<TaskDto>(HttpMethod.Post, "/api/tasks",
            new CreateTaskRequest("x", TaskKinds.Call, [ofA], InThreeDays, AssigneeId: world.RepB.UserId));
        Assert.Equal(ErrorCodes.CannotFollowUp, refused.EnsureStatus(HttpStatusCode.Conflict).Code);
        Assert.Equal([ofA], NamedCustomers(refused));
        Assert.Empty((await TodoAsync(world.RepB, TaskStatuses.Open)).Items);

        // Given to its owner, the task cannot be moved to B either.
        var created = (await world.Manager.SendAsync<TaskDto>(HttpMethod.Post, "/api/tasks",
            new CreateTaskRequest("x", TaskKinds.Call, [ofA], InThreeDays, AssigneeId: world.RepA.UserId))).EnsureStatus(HttpStatusCode.Created).Value!;
        var moved = await world.Manager.SendAsync<TaskDto>(HttpMethod.Post, $"/api/tasks/{created.Id}/reassign", new ReassignTaskRequest(world.RepB.UserId));
        Assert.Equal(ErrorCodes.CannotFollowUp, moved.EnsureStatus(HttpStatusCode.Conflict).Code);
        Assert.Equal([ofA], NamedCustomers(moved));
        Assert.Equal(world.RepA.UserId, Assert.Single((await world.Manager.SendAsync<TaskDto>(HttpMethod.Get, $"/api/tasks/{created.Id}")).Value!.Items).AssigneeId);

        // The manager hands the customer to B: A may no longer complete it (and is told to have it reassigned), B may once it has the task.
        (await world.Manager.AssignAsync(ofA, world.RepB.UserId)).EnsureStatus(HttpStatusCode.OK);
        var stale = await world.RepA.SendAsync<TaskDto>(HttpMethod.Post, $"/api/tasks/{created.Id}/complete", new CompleteTaskRequest("reached"));
        Assert.Equal(ErrorCodes.CannotFollowUp, stale.EnsureStatus(HttpStatusCode.Conflict).Code);
        Assert.Contains("reassign", stale.Body, StringComparison.OrdinalIgnoreCase);
        (await world.Manager.SendAsync<TaskDto>(HttpMethod.Post, $"/api/tasks/{created.Id}/reassign", new ReassignTaskRequest(world.RepB.UserId)))
            .EnsureStatus(HttpStatusCode.OK);
        (await world.RepB.SendAsync<TaskDto>(HttpMethod.Post, $"/api/tasks/{created.Id}/complete", new CompleteTaskRequest("reached")))
            .EnsureStatus(HttpStatusCode.OK);
        Assert.Single((await world.RepB.TimelineAsync(ofA)).Value!, e => e.Kind == "follow-up" && e.Data["outcome"] == "reached");
    }

    [Fact]
    public async Task Reassigning_to_a_user_outside_the_managers_subtree_is_forbidden_as_creating_is()
    {
        var world = await TestWorld.CreateAsync(Server);
        var ofA = (await OwnedAsync(world, world.RepA, 1))[0];
        var west = (await world.Admin.CreateOrgUnitAsync($"West {Guid.NewGuid():N}")).EnsureStatus(HttpStatusCode.Created).Value!;
        var outsider = (await world.Admin.CreateUserAsync($"west-{Guid.NewGuid():N}"[..20], Role.Rep, west.Id)).EnsureStatus(HttpStatusCode.Created).Value!;

        (await world.Manager.SendAsync<TaskDto>(HttpMethod.Post, "/api/tasks",
            new CreateTaskRequest("x", TaskKinds.Call, [ofA], InThreeDays, AssigneeId: outsider.Id))).EnsureStatus(HttpStatusCode.Forbidden);
        var created = (await world.Manager.SendAsync<TaskDto>(HttpMethod.Post, "/api/tasks",
            new CreateTaskRequest("x", TaskKinds.Call, [ofA], InThreeDays, AssigneeId: world.RepA.UserId))).EnsureStatus(HttpStatusCode.Created).Value!;
        (await world.Manager.SendAsync<TaskDto>(HttpMethod.Post, $"/api/tasks/{created.Id}/reassign", new ReassignTaskRequest(outsider.Id)))
            .EnsureStatus(HttpStatusCode.Forbidden);
        Assert.Equal(["toRepId"], (await world.Manager.SendAsync<TaskDto>(HttpMethod.Post, $"/api/tasks/{created.Id}/reassign",
            new ReassignTaskRequest($"nobody-{Guid.NewGuid():N}"))).EnsureStatus(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Equal(world.RepA.UserId, Assert.Single((await world.Manager.SendAsync<TaskDto>(HttpMethod.Get, $"/api/tasks/{created.Id}")).Value!.Items).AssigneeId);
    }

    [Fact]
    public async Task A_split_refuses_customers_no_rep_of_the_unit_can_follow_up_and_stores_nothing()
    {
        var world = await TestWorld.CreateAsync(Server);
        var lead = (await LeadsAsync(world, 1))[0];
        var west = (await world.Admin.CreateOrgUnitAsync($"West {Guid.NewGuid():N}")).EnsureStatus(HttpStatusCode.Created).Value!;
        var westRep = (await world.Admin.CreateUserAsync($"west-{Guid.NewGuid():N}"[..20], Role.Rep, west.Id)).EnsureStatus(HttpStatusCode.Created).Value!;
        var westPool = (await world.Admin.CreatePoolAsync($"West pool {Guid.NewGuid():N}", west.Id)).EnsureStatus(HttpStatusCode.Created).Value!;
        var ofWest = (await world.Admin.CreateCustomerAsync(new CreateCustomerRequest($"West customer {Guid.NewGuid():N}", PoolId: westPool.Id, OwnerId: westRep.Id)))
            .EnsureStatus(HttpStatusCode.Created).Value!.Id;
        var westLead = (await world.Admin.CreateCustomerAsync(new CreateCustomerRequest($"West lead {Guid.NewGuid():N}", PoolId: westPool.Id)))
            .EnsureStatus(HttpStatusCode.Created).Value!.Id;

        // The admin sees all three, but no rep of the team owns the west customer or may claim the west lead.
        var refused = await world.Admin.SendAsync<TaskDto>(HttpMethod.Post, "/api/tasks", new CreateTaskRequest(
            "Call them", TaskKinds.Call, [lead, ofWest, westLead], InThreeDays, Split: new TaskSplit(world.OrgUnitId, TaskSplitModes.Capacity)));
        Assert.Equal(ErrorCodes.CannotFollowUp, refused.EnsureStatus(HttpStatusCode.Conflict).Code);
        Assert.Equal(new[] { ofWest, westLead }.Order(), NamedCustomers(refused));
        Assert.Contains(westRep.Id, refused.Body);
        Assert.Empty((await TodoAsync(world.RepA, TaskStatuses.Open)).Items);
        Assert.Empty((await TodoAsync(world.RepB, TaskStatuses.Open)).Items);
    }

    private static async Task<List<Guid>> LeadsAsync(TestWorld world, int count)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await world.Admin.CreateCustomerAsync(new CreateCustomerRequest($"Pool lead {Guid.NewGuid():N}", PoolId: world.PoolId)))
                .EnsureStatus(HttpStatusCode.Created).Value!.Id);
        }

        return ids;
    }

    /// <summary>The customers a refusal names (its <c>customerIds</c> extension).</summary>
    private static IReadOnlyList<Guid> NamedCustomers<T>(ApiResponse<T> refused) =>
        refused.Problem!.Value.GetProperty("customerIds").GetString()!.Split(',').Select(Guid.Parse).Order().ToList();

    private static async Task AssertOpenWithoutFollowUpAsync(TestWorld world, string taskId, IReadOnlyList<Guid> customers)
    {
        var task = (await world.Manager.SendAsync<TaskDto>(HttpMethod.Get, $"/api/tasks/{taskId}")).EnsureStatus(HttpStatusCode.OK).Value!;
        foreach (var customer in customers)
        {
            Assert.Equal(TaskStatuses.Open, task.Items.Single(i => i.CustomerId == customer).Status);
            Assert.DoesNotContain((await world.Manager.TimelineAsync(customer)).EnsureStatus(HttpStatusCode.OK).Value!, e => e.Kind == "follow-up");
        }
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
