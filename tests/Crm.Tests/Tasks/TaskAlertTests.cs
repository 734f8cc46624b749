using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Notifications;
using Crm.Grains.Storage;
using Crm.Grains.Tasks;
using Crm.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Crm.Tests.Tasks;

/// <summary>
/// Due and overdue alerts under the fake clock: TaskDue on the working morning of the due day, TaskOverdue once the due
/// time passed, each once per rep whatever the number of sweeps, only for items still open, and none for a cancelled task.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TaskAlertTests(ClusterFixture fixture)
{
    private static readonly Actor Manager = new("mgr-" + Guid.NewGuid().ToString("N")[..8], UserRole.Manager, null);

    [Fact]
    public async Task Due_then_overdue_is_pushed_once_per_rep_and_only_for_open_items()
    {
        var (repA, repB) = (NewRep(), NewRep());
        var (a1, a2, b1) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var due = DueIn(3, 15);
        var task = fixture.Grains.GetGrain<ITaskGrain>(Guid.NewGuid().ToString("N"));
        (await task.Create(new NewTask("Call the expo leads", TaskKinds.Custom, null, null, null, due,
            [new TaskAssignment(repA, [a1, a2]), new TaskAssignment(repB, [b1])]), Manager)).AssertOk();
        Assert.Equal([nameof(TaskAssigned)], await TypesAsync(repA));

        await using var sweep = new Sweep(fixture);
        fixture.Clock.Advance(due - fixture.Clock.GetUtcNow() - TimeSpan.FromHours(7)); // 08:00 on the due day: not yet due
        await sweep.RunAsync();
        Assert.Equal([nameof(TaskAssigned)], await TypesAsync(repA));

        fixture.Clock.Advance(TimeSpan.FromHours(2)); // 10:00: past the 09:00 morning of the default calendar
        await sweep.RunAsync();
        await sweep.RunAsync();
        Assert.Equal([nameof(TaskAssigned), nameof(TaskDue)], await TypesAsync(repA));
        Assert.Equal([nameof(TaskAssigned), nameof(TaskDue)], await TypesAsync(repB));

        (await task.Complete(new CompleteTask(null, "all reached", null, null), new Actor(repA, UserRole.Rep, null))).AssertOk();
        fixture.Clock.Advance(TimeSpan.FromHours(6)); // 16:00, past the due time
        await sweep.RunAsync();
        await sweep.RunAsync();
        Assert.Equal([nameof(TaskAssigned), nameof(TaskDue)], await TypesAsync(repA)); // done: nothing overdue
        Assert.Equal([nameof(TaskAssigned), nameof(TaskDue), nameof(TaskOverdue)], await TypesAsync(repB));
        var overdue = (await new NotificationStore(fixture.Database).AfterAsync(repB, 0, 10))[^1];
        Assert.Contains(b1.ToString(), overdue.Data);

        // What the grain holds is what its rows say: a new activation starts from the same task.
        Assert.Equal(await task.Get(), await sweep.Store.LoadAsync(task.GetPrimaryKeyString()), new SnapshotComparer());
    }

    [Fact]
    public async Task A_task_already_past_its_time_is_pushed_overdue_only_and_a_cancelled_one_nothing()
    {
        var (rep, other) = (NewRep(), NewRep());
        var late = fixture.Grains.GetGrain<ITaskGrain>(Guid.NewGuid().ToString("N"));
        var cancelled = fixture.Grains.GetGrain<ITaskGrain>(Guid.NewGuid().ToString("N"));
        var due = DueIn(1, 12);
        (await late.Create(new NewTask("Visit", TaskKinds.Custom, null, null, null, due, [new TaskAssignment(rep, [Guid.NewGuid()])]), Manager)).AssertOk();
        (await cancelled.Create(new NewTask("Visit", TaskKinds.Custom, null, null, null, due, [new TaskAssignment(other, [Guid.NewGuid()])]), Manager)).AssertOk();
        (await cancelled.Cancel(Manager)).AssertOk();

        await using var sweep = new Sweep(fixture);
        // One jump past both the morning and the due time. The jump is measured from the due time, not a fixed two days:
        // the shared clock's weekday depends on the tests before, and a task due on Monday seen from a Friday is 3 days off.
        fixture.Clock.Advance(due - fixture.Clock.GetUtcNow() + TimeSpan.FromHours(3));
        await sweep.RunAsync();
        Assert.Equal([nameof(TaskAssigned), nameof(TaskOverdue)], await TypesAsync(rep));
        Assert.Equal([nameof(TaskAssigned)], await TypesAsync(other));
        Assert.Equal(TaskStatuses.Cancelled, (await cancelled.Get())!.Items.Single().Status);
    }

    private static string NewRep() => "rep-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>hh:00 UTC on the first weekday at least <paramref name="days"/> days from the fake clock's date (the default calendar's working days).</summary>
    private DateTimeOffset DueIn(int days, int hour)
    {
        var now = fixture.Clock.GetUtcNow();
        var day = new DateTimeOffset(now.Year, now.Month, now.Day, hour, 0, 0, TimeSpan.Zero).AddDays(days);
        while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            day = day.AddDays(1);
        }

        return day;
    }

    private async Task<IReadOnlyList<string>> TypesAsync(string userId) =>
        (await new NotificationStore(fixture.Database).AfterAsync(userId, 0, 100)).Select(n => n.EventType).ToList();

    private sealed class Sweep(ClusterFixture fixture) : IAsyncDisposable
    {
        private readonly SqlBatchWriter _writer = new(fixture.Database, NullLogger<SqlBatchWriter>.Instance);

        public TaskStore Store => new(fixture.Database, _writer);

        public Task<int> RunAsync() => new TaskAlertSweep(Store, fixture.Grains,
            Options.Create(new TaskOptions()), fixture.Clock, NullLogger<TaskAlertSweep>.Instance).RunOnceAsync();

        public ValueTask DisposeAsync() => _writer.DisposeAsync();
    }
}

internal sealed class SnapshotComparer : IEqualityComparer<TaskSnapshot?>
{
    public bool Equals(TaskSnapshot? x, TaskSnapshot? y) =>
        x is not null && y is not null && x.Header == y.Header && x.Items.OrderBy(i => i.CustomerId).SequenceEqual(y.Items.OrderBy(i => i.CustomerId));

    public int GetHashCode(TaskSnapshot? obj) => 0;
}

internal static class ResultAssertions
{
    public static T AssertOk<T>(this Result<T> result)
    {
        Assert.True(result.Error is null, result.Error?.Message);
        return result.Value!;
    }
}
