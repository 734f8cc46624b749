using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.EventLog;
using Crm.Grains.Pools;
using Crm.Grains.Tasks;
using Crm.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Crm.Tests.Tasks;

/// <summary>
/// A completion that fails midway (here a customer's commit fails; in life the database goes away or a silo is lost):
/// the follow-ups already recorded are kept with their items marked done, and the rep's retry records each customer's
/// follow-up once, never twice.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TaskCompletionFailureTests(ClusterFixture fixture)
{
    private static readonly Actor Manager = new("manager-1", UserRole.Manager, "unit-1");

    private EventLogFaults Faults => ((InProcessSiloHandle)fixture.Cluster.Primary!).SiloHost!.Services.GetRequiredService<EventLogFaults>();

    [Fact]
    public async Task A_completion_that_fails_midway_keeps_what_it_recorded_and_its_retry_records_nothing_twice()
    {
        var pool = Guid.NewGuid().ToString("N")[..12];
        Assert.True((await fixture.Grains.GetGrain<IPoolGrain>(pool).Create("Pool", "unit-1", new PoolRuleSet())).Ok);
        var rep = new Actor("rep-" + Guid.NewGuid().ToString("N"), UserRole.Rep, "unit-1");
        var customers = new List<Guid>();
        foreach (var name in new[] { "Wang Fang", "Zhao Lei", "Sun Li" })
        {
            var id = Guid.NewGuid();
            var created = await fixture.Grains.GetGrain<ICustomerGrain>(id).Create(
                new NewCustomer(name, $"{name} Trading", PoolId: pool, OwnerId: rep.UserId), Manager);
            Assert.True(created.Ok, created.Error?.Message);
            customers.Add(id);
        }

        var task = fixture.Grains.GetGrain<ITaskGrain>(Guid.NewGuid().ToString("N"));
        (await task.Create(new NewTask("Call the expo leads", TaskKinds.Call, null, null, null, fixture.Clock.GetUtcNow().AddDays(2),
            [new TaskAssignment(rep.UserId, customers)]), Manager)).AssertOk();

        Faults.FailCommitsOf(customers[1]);
        try
        {
            await Assert.ThrowsAnyAsync<Exception>(() => task.Complete(new CompleteTask(null, "reached", null, null), rep));
        }
        finally
        {
            Faults.Heal(customers[1]);
        }

        var items = (await task.Get())!.Items.ToDictionary(i => i.CustomerId, i => i.Status);
        Assert.Equal([TaskStatuses.Done, TaskStatuses.Open, TaskStatuses.Open], customers.Select(c => items[c]));

        (await task.Complete(new CompleteTask(null, "reached", null, null), rep)).AssertOk();
        Assert.All((await task.Get())!.Items, i => Assert.Equal(TaskStatuses.Done, i.Status));
        foreach (var customer in customers)
        {
            Assert.Equal(1, await FollowUpsAsync(customer));
        }
    }

    private async Task<long> FollowUpsAsync(Guid customer)
    {
        await using var connection = await fixture.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM customer_events WHERE customer_id = @id AND kind = @kind",
            new { id = customer.ToString(), kind = TimelineKinds.FollowUp });
    }
}
