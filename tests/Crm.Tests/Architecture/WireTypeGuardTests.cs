using System.Reflection;
using Crm.Client;
using Crm.Grains.Customers;
using Crm.Grains.Customers.Events;
using Crm.Server.Storage;
using Crm.Tests.Infrastructure;
using Orleans.Serialization;

namespace Crm.Tests.Architecture;

/// <summary>
/// The server's own types never carry the API's wire records (Crm.Client) or the plugin SDK's (Crm.Sdk). Stored (grain
/// state, the customer snapshot and events): renaming a property in the client package would silently change, or break,
/// what is on disk. Serialized (grain calls, everything with Orleans ids): the silo's serializer has no codec for a wire
/// type, and a contract between silos must not move with the client package. One row per grain interface (its
/// parameters and answers) and per type the server stores or Orleans serializes; a row walks into the server's own
/// types except those that have a row of their own, so each type is checked once. The <c>Legacy*</c> readers of old
/// state blobs are left out: only <see cref="LegacyStateMigration"/>'s private serializer reads them.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class WireTypeGuardTests(ClusterFixture fixture)
{
    private const string GrainRow = "grain ";
    private const string TypeRow = "type ";
    private static readonly string[] Wire = ["Crm.Client", "Crm.Sdk"];
    private static readonly Assembly Grains = typeof(ICustomerGrain).Assembly;
    private static readonly HashSet<Type> Types = Stored().Concat(Serialized()).ToHashSet();

    public static TheoryData<string> Rows()
    {
        var data = new TheoryData<string>();
        foreach (var row in RowList())
        {
            data.Add(row);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Reaches_no_wire_type(string row)
    {
        var leaks = LeaksOf(row);
        Assert.True(leaks.Count == 0, $"{row} reaches wire types: {string.Join("; ", leaks)}");
    }

    [Fact]
    public void The_rows_are_found()
    {
        var rows = RowList();
        Assert.Contains(GrainRow + typeof(ICustomerGrain).FullName, rows);
        Assert.Contains(GrainRow + "Crm.Grains.Notes.ITemplateGrain", rows);
        Assert.Contains(GrainRow + "Crm.Grains.Dedup.IDedupIndexGrain", rows);
        Assert.Contains(GrainRow + "Crm.Grains.Levels.ICustomerLevels", rows);
        Assert.Contains(TypeRow + typeof(CustomerState).FullName, rows);
        Assert.Contains(TypeRow + typeof(StageMoved).FullName, rows);
        Assert.Contains(TypeRow + "Crm.Grains.Reps.RepState", rows);
        Assert.Contains(TypeRow + "Crm.Grains.Pools.PoolState", rows);
        Assert.Contains(TypeRow + "Crm.Grains.Notes.TemplateState", rows);
        Assert.Contains(TypeRow + typeof(CustomerView).FullName, rows);
        Assert.Contains(TypeRow + "Crm.Grains.Notes.TemplateVersion", rows);
        Assert.Contains(TypeRow + "Crm.Grains.Assignment.AssignmentStatus", rows);
        Assert.DoesNotContain(rows, r => r.Contains(".Legacy", StringComparison.Ordinal));
        Assert.Equal(rows.Count, rows.Distinct().Count());
    }

    [Fact]
    public void The_walk_finds_a_wire_type_at_any_depth()
    {
        var leaks = WireTypes.In(typeof(Outer), "Outer", typeof(Outer).Assembly, _ => true, Wire).ToList();
        Assert.Equal(["Outer.Inner.Customers: CustomerDto", "Outer.Stage: Stage"], leaks.Order().ToList());
    }

    [Fact]
    public void The_silo_serializer_refuses_wire_types()
    {
        var serializer = fixture.Service<Serializer>();
        Assert.True(serializer.CanSerialize(typeof(CustomerView)));
        Assert.False(serializer.CanSerialize(typeof(CustomerDto)));
        Assert.False(serializer.CanSerialize(typeof(NoteTemplateDto)));
        Assert.False(serializer.CanSerialize(typeof(Crm.Sdk.CustomerSnapshot)));
    }

    /// <summary>Where a row's type (or the interface's parameters and answers) reaches wire types, walking own types without a row of their own.</summary>
    private static List<string> LeaksOf(string row)
    {
        var type = Grains.GetType(row[(row.IndexOf(' ') + 1)..], throwOnError: true)!;
        var starts = row.StartsWith(GrainRow, StringComparison.Ordinal)
            ? type.GetMethods().SelectMany(m => m.GetParameters().Select(p => (p.ParameterType, $"{m.Name}({p.Name})")).Append((m.ReturnType, $"{m.Name} answer")))
            : [(type, type.Name)];
        return starts.SelectMany(s => WireTypes.In(s.Item1, s.Item2, Grains, t => t == type || !Types.Contains(t), Wire)).ToList();
    }

    private static List<string> RowList() => Grains.GetTypes()
        .Where(t => t.IsInterface && typeof(IAddressable).IsAssignableFrom(t))
        .Select(t => GrainRow + t.FullName)
        .Concat(Types.Select(t => TypeRow + t.FullName))
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>What the server stores: every grain's persisted state, the customer snapshot and the customer events.</summary>
    private static IEnumerable<Type> Stored() => Grains.GetTypes()
        .Where(t => typeof(Grain).IsAssignableFrom(t))
        .SelectMany(t => t.GetConstructors().SelectMany(c => c.GetParameters()))
        .Select(p => p.ParameterType)
        .Where(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IPersistentState<>))
        .Select(t => t.GetGenericArguments()[0])
        .Append(typeof(CustomerState))
        .Concat(Grains.GetTypes().Where(t => t.IsSubclassOf(typeof(CustomerEvent)) && !t.IsAbstract));

    /// <summary>What Orleans serializes: every [GenerateSerializer] type but the Legacy* readers of old state blobs.</summary>
    private static IEnumerable<Type> Serialized() => Grains.GetTypes()
        .Where(t => t.GetCustomAttribute<GenerateSerializerAttribute>() is not null && !t.Name.StartsWith("Legacy", StringComparison.Ordinal));

    private sealed record Outer(Inner Inner, Stage? Stage);

    private sealed record Inner(IReadOnlyList<CustomerDto> Customers);
}
