using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Pools;
using Crm.Grains.Push;
using Crm.Grains.Reps;

namespace Crm.Tests.Pools;

/// <summary>A public pool with its rules, fresh reps and leads, on a test cluster: the arrangement pool tests share.</summary>
public sealed class PoolWorld(IGrainFactory grains, string poolId)
{
    public static readonly Actor Manager = new("manager-1", UserRole.Manager, "unit-1");

    public string PoolId { get; } = poolId;

    public IPoolGrain Pool => grains.GetGrain<IPoolGrain>(PoolId);

    public static async Task<PoolWorld> CreateAsync(IGrainFactory grains, PoolRuleSet rules)
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        var created = await grains.GetGrain<IPoolGrain>(id).Create("Pool " + id, "unit-1", rules);
        Assert.True(created.Ok, created.Error?.Message);
        return new PoolWorld(grains, id);
    }

    public static Actor Rep(string id) => new(id, UserRole.Rep, "unit-1");

    public static string NewRepId() => "rep-" + Guid.NewGuid().ToString("N")[..10];

    public IRepGrain RepGrain(string repId) => grains.GetGrain<IRepGrain>(repId);

    public async Task<ICustomerGrain> NewLeadAsync(string name = "Wang Fang")
    {
        var grain = grains.GetGrain<ICustomerGrain>(Guid.NewGuid());
        var created = await grain.Create(new NewCustomer(name, "Suzhou Mingda Co., Ltd.", PoolId: PoolId), Manager);
        Assert.True(created.Ok, created.Error?.Message);
        return grain;
    }

    /// <summary>A lead claimed by the given rep.</summary>
    public async Task<ICustomerGrain> ClaimedByAsync(string repId, string name = "Wang Fang")
    {
        var customer = await NewLeadAsync(name);
        var claimed = await customer.Claim(Rep(repId));
        Assert.True(claimed.Ok, claimed.Error?.Message);
        return customer;
    }

    public static async Task<string?> OwnerOf(ICustomerGrain customer) => (await customer.Get())!.OwnerId;

    /// <summary>Listens to a rep's pushes through the same observer interface (on its inbox) the server's SignalR relay uses.</summary>
    public static async Task<PushRecorder> ListenAsync(IGrainFactory grains, string repChannel)
    {
        var recorder = new PushRecorder(grains, repChannel);
        var reference = grains.CreateObjectReference<IPushObserver>(recorder);
        await grains.GetGrain<Crm.Grains.Notifications.IInboxGrain>(repChannel["rep:".Length..]).Subscribe(reference);
        return recorder;
    }
}
