using Crm.Client;
using Crm.Grains.Calendars;
using Crm.Grains.Common;
using Crm.Grains.Tasks;
using Crm.Tests.Infrastructure;
using Dapper;

namespace Crm.Tests.Tasks;

/// <summary>
/// A task closes when nothing of it is open any more: the last item completed makes it <c>done</c>, in the grain and in its
/// row, and a done task, like a cancelled one, is closed to completing, reassigning and cancelling (409 <c>task-closed</c>).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TaskClosingTests(ClusterFixture fixture)
{
    private static readonly Actor Manager = new("mgr-" + Guid.NewGuid().ToString("N")[..8], UserRole.Manager, null);

    [Fact]
    public async Task Completing_the_last_open_item_makes_the_task_done_and_a_done_task_is_not_cancelled_or_reassigned()
    {
        var repA = "rep-" + Guid.NewGuid().ToString("N")[..10];
        var (unit, repB) = await fixture.UnitWithRepAsync(CalendarDefinition.Default); // a user reassigning may name
        var (a1, a2, b1) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var task = fixture.Grains.GetGrain<ITaskGrain>(Guid.NewGuid().ToString("N"));
        (await task.Create(new NewTask("Check the shelves", TaskKinds.Custom, null, null, unit, fixture.Clock.GetUtcNow().AddDays(2),
            [new TaskAssignment(repA, [a1, a2]), new TaskAssignment(repB, [b1])]), Manager)).AssertOk();

        Assert.Equal(TaskStatuses.Open, (await task.Complete(new CompleteTask([a1], "done", null, null), Rep(repA))).AssertOk().Header.Status);
        Assert.Equal(TaskStatuses.Open, (await task.Complete(new CompleteTask(null, "done", null, null), Rep(repA))).AssertOk().Header.Status);
        Assert.Equal(TaskStatuses.Open, await StoredStatusAsync(task));

        var now = fixture.Clock.GetUtcNow();
        var done = (await task.Complete(new CompleteTask(null, "done", null, null), Rep(repB))).AssertOk();
        Assert.Equal(TaskStatuses.Done, done.Header.Status);
        Assert.All(done.Items, i => Assert.Equal(TaskStatuses.Done, i.Status));
        Assert.Equal(now, done.Items.Single(i => i.CustomerId == b1).DoneAt);
        Assert.Equal(TaskStatuses.Done, await StoredStatusAsync(task));

        // Closed: cancelling a done task does not turn it into a cancelled one, and nothing is left to move or complete.
        Assert.Equal(ErrorCodes.TaskClosed, (await task.Cancel(Manager)).Error?.Code);
        Assert.Equal(ErrorCodes.TaskClosed, (await task.Reassign(new ReassignTask(repB, repA, null), Manager)).Error?.Code);
        Assert.Equal(ErrorCodes.TaskClosed, (await task.Complete(new CompleteTask(null, "again", null, null), Rep(repA))).Error?.Code);
        Assert.Equal(TaskStatuses.Done, (await task.Get())!.Header.Status);
        Assert.Equal(TaskStatuses.Done, await StoredStatusAsync(task));
    }

    [Fact]
    public async Task A_task_cancelled_after_part_of_it_was_done_is_cancelled()
    {
        var rep = "rep-" + Guid.NewGuid().ToString("N")[..10];
        var (c1, c2) = (Guid.NewGuid(), Guid.NewGuid());
        var task = fixture.Grains.GetGrain<ITaskGrain>(Guid.NewGuid().ToString("N"));
        (await task.Create(new NewTask("Check the shelves", TaskKinds.Custom, null, null, null, fixture.Clock.GetUtcNow().AddDays(2),
            [new TaskAssignment(rep, [c1, c2])]), Manager)).AssertOk();

        (await task.Complete(new CompleteTask([c1], "done", null, null), Rep(rep))).AssertOk();
        var cancelled = (await task.Cancel(Manager)).AssertOk();

        Assert.Equal(TaskStatuses.Cancelled, cancelled.Header.Status);
        Assert.Equal([TaskStatuses.Done, TaskStatuses.Cancelled], new[] { c1, c2 }.Select(c => cancelled.Items.Single(i => i.CustomerId == c).Status));
        Assert.Equal(ErrorCodes.TaskClosed, (await task.Cancel(Manager)).Error?.Code);
    }

    private static Actor Rep(string id) => new(id, UserRole.Rep, null);

    private async Task<string> StoredStatusAsync(ITaskGrain task)
    {
        await using var connection = await fixture.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<string>("SELECT status FROM tasks WHERE id = @id", new { id = task.GetPrimaryKeyString() }) ?? "";
    }
}
