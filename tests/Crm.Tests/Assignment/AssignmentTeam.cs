using Crm.Client;
using Crm.Grains.Assignment;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Org;
using Crm.Grains.Pools;
using Crm.Grains.Reps;
using Crm.Server.Org;
using Crm.Tests.Infrastructure;
using Microsoft.Extensions.Hosting;

namespace Crm.Tests.Assignment;

/// <summary>A team on the test cluster: an org unit with reps (real users and profiles rows) and its public pools.</summary>
internal sealed class AssignmentTeam(ClusterFixture fixture, string orgUnitId, IReadOnlyList<string> reps)
{
    public static readonly Actor Manager = new("manager-1", UserRole.Manager, null);

    public string OrgUnitId { get; } = orgUnitId;

    /// <summary>Rep ids in id order (the order round-robin serves them).</summary>
    public IReadOnlyList<string> Reps { get; } = reps;

    public static async Task<AssignmentTeam> CreateAsync(ClusterFixture fixture, int reps)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var notifier = new OrgTreeNotifier(new OrgTreeCache(fixture.Database, Microsoft.Extensions.Logging.Abstractions.NullLogger<OrgTreeCache>.Instance));
        var unit = (await new OrgUnitDirectory(fixture.Database, TimeProvider.System, notifier).CreateAsync($"Team {tag}", null)).Value!;
        var users = new UserDirectory(fixture.Database, TimeProvider.System, notifier);
        var ids = new List<string>();
        for (var i = 0; i < reps; i++)
        {
            ids.Add((await users.CreateAsync($"rep-{tag}-{i}", "rep-Passw0rd!", $"Rep {i}", UserRole.Rep, unit.Id)).Value!.Id);
        }

        // The silo keeps the org tree in memory: tell it about the new units and users now rather than within a second.
        await fixture.Grains.GetGrain<IOrgTreeGrain>(0).Reload();
        return new AssignmentTeam(fixture, unit.Id, ids.Order(StringComparer.Ordinal).ToList());
    }

    public async Task<string> PoolAsync(AssignmentSettings rule, int? capacity = null, int protectionDays = 0, int? recycleDays = null)
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        var rules = new PoolRuleSet
        {
            Assignment = rule,
            CapacityPerRep = capacity,
            ReclaimProtectionDays = protectionDays,
            RecycleAfterDaysWithoutFollowUp = recycleDays,
        };
        Assert.True((await fixture.Grains.GetGrain<IPoolGrain>(id).Create("Pool", OrgUnitId, rules)).Ok);
        await Assignment(id).RulesChanged();
        return id;
    }

    public IAssignmentGrain Assignment(string poolId) => fixture.Grains.GetGrain<IAssignmentGrain>(poolId);

    /// <summary>Creates a lead in the pool and lets the pool's assignment settle it; answers the lead as it is then.</summary>
    public async Task<CustomerView> LeadAsync(string poolId, string name = "Zhou Min", string? industry = null, string? language = null)
    {
        var id = Guid.NewGuid();
        var created = await fixture.Grains.GetGrain<ICustomerGrain>(id)
            .Create(new NewCustomer(name, PoolId: poolId, Industry: industry, Language: language), Manager);
        Assert.True(created.Ok, created.Error?.Message);
        await Assignment(poolId).AssignNow(id, "test");
        return (await fixture.Grains.GetGrain<ICustomerGrain>(id).Get())!;
    }

    public async Task<int> OwnedAsync(string repId) => (await fixture.Grains.GetGrain<IRepGrain>(repId).GetOwned()).Count;

    public Task SetProfileAsync(string repId, RepProfileRequest profile) =>
        new RepRoster(fixture.Database).SaveAsync(repId, profile, UnixTime.ToMs(fixture.Clock.GetUtcNow()));
}
