using System.Reflection;
using Crm.Client;
using Crm.Grains.Customers;
using Crm.Server.Storage;
using Crm.Tests.Infrastructure;
using Orleans.Serialization;

namespace Crm.Tests.Architecture;

/// <summary>
/// Nothing of the API's wire records (Crm.Client) or the plugin SDK's (Crm.Sdk) is serialized by Orleans: every type
/// the grains give Orleans ids ([GenerateSerializer]: grain contracts, grain state, snapshots, events, stored cards) is
/// made of the server's own types, and the silo's serializer has no codec for a wire type, so one that slipped into a
/// grain call would fail in every test that makes the call. The only exception are the <c>Legacy*</c> readers of old
/// state blobs, read by <see cref="LegacyStateMigration"/>'s private serializer.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class WireSerializationTests(ClusterFixture fixture)
{
    private static readonly Assembly Grains = typeof(ICustomerGrain).Assembly;

    public static TheoryData<string> SerializableTypes()
    {
        var data = new TheoryData<string>();
        foreach (var type in SerializableTypeList())
        {
            data.Add(type.FullName!);
        }

        return data;
    }

    private static List<Type> SerializableTypeList() => Grains.GetTypes()
        .Where(t => t.GetCustomAttribute<GenerateSerializerAttribute>() is not null && !t.Name.StartsWith("Legacy", StringComparison.Ordinal))
        .OrderBy(t => t.FullName)
        .ToList();

    [Theory]
    [MemberData(nameof(SerializableTypes))]
    public void A_serializable_type_of_the_grains_holds_no_wire_type(string typeName)
    {
        var type = Grains.GetType(typeName, throwOnError: true)!;
        var leaks = WireTypes.In(type, type.Name, Grains, "Crm.Client", "Crm.Sdk").ToList();
        Assert.True(leaks.Count == 0, $"{typeName} holds wire types: {string.Join("; ", leaks)}");
    }

    [Fact]
    public void The_serializable_types_are_found()
    {
        var names = SerializableTypeList().Select(t => t.Name).ToList();
        Assert.Contains(nameof(CustomerView), names);
        Assert.Contains("LeadCard", names);
        Assert.Contains("TemplateVersion", names);
        Assert.Contains("AssignmentStatus", names);
        Assert.DoesNotContain("LegacyPoolState", names);
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
}
