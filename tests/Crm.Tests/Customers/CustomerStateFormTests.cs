using System.Reflection;
using Crm.Grains.Customers;
using Crm.Tests.Infrastructure;
using Orleans.Serialization;

namespace Crm.Tests.Customers;

/// <summary>
/// The customer snapshot keeps its collections null while empty (a silo holds up to a million customers, most with
/// no deals, visits, merges or flags). Snapshots written before that hold empty collections under the same field ids;
/// they must read back with their values and without those empty objects, and an empty collection is not written at
/// all, so code from before reads its own empty initial value for it. The "before" form here is made with today's type,
/// so a renumbered <c>[Id]</c> passes; committed bytes of v1 catch that (Storage/StoredStateFixtureTests).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class CustomerStateFormTests(ClusterFixture fixture)
{
    private static readonly FieldInfo[] Collections = typeof(CustomerState)
        .GetFields(BindingFlags.Instance | BindingFlags.NonPublic)
        .Where(f => f.GetCustomAttribute<IdAttribute>() is not null)
        .ToArray();

    [Fact]
    public void A_snapshot_with_empty_collections_reads_back_without_them()
    {
        var serializer = fixture.Service<Serializer>();
        var before = Sample();
        foreach (var field in Collections)
        {
            field.SetValue(before, Activator.CreateInstance(field.FieldType)); // the form written before: empty, not absent
        }

        var read = serializer.Deserialize<CustomerState>(serializer.SerializeToArray(before))!.DropEmpty();

        Assert.Equal(11, Collections.Length);
        Assert.All(Collections, f => Assert.Null(f.GetValue(read)));
        Assert.Equal((before.Profile.Name, before.PoolId, before.OwnerId, before.Version), (read.Profile.Name, read.PoolId, read.OwnerId, read.Version));
        Assert.Empty(read.DedupKeys);
        Assert.Empty(read.Deals);
        Assert.Empty(read.ReclaimLocks);
    }

    [Fact]
    public void Collections_with_entries_keep_them_and_empty_ones_are_not_written()
    {
        var serializer = fixture.Service<Serializer>();
        var state = Sample();
        var empty = serializer.SerializeToArray(state).Length;
        state.DedupKeys = ["m:13800000000"];
        state.RememberOwnership("claimed", "rep-1", state.CreatedAt);
        state.FlagDuplicate(Guid.NewGuid());
        state.LetGo("released", "rep-1", state.CreatedAt, state.CreatedAt.AddDays(30), null);

        var read = serializer.Deserialize<CustomerState>(serializer.SerializeToArray(state))!.DropEmpty();

        Assert.Equal(["m:13800000000"], read.DedupKeys);
        Assert.Equal(["claimed", "released"], read.Ownership.Select(o => o.Kind));
        Assert.Equal(state.FlaggedDuplicates, read.FlaggedDuplicates);
        Assert.Equal(state.CreatedAt.AddDays(30), read.ReclaimLocks["rep-1"]);
        var withEmpties = Sample();
        foreach (var field in Collections)
        {
            field.SetValue(withEmpties, Activator.CreateInstance(field.FieldType));
        }

        Assert.True(empty < serializer.SerializeToArray(withEmpties).Length, "null collections are left out of the snapshot");
    }

    private static CustomerState Sample() => new()
    {
        Exists = true,
        Profile = new CustomerProfile("客户0000001", "上海某某贸易有限公司", "13800000000", null, null, null, "import"),
        PoolId = "pool-east",
        OwnerId = "rep-1",
        CreatedAt = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero),
        Version = 3,
    };
}
