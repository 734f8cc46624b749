using System.Reflection;
using Crm.Grains.Customers;

namespace Crm.Tests.Architecture;

/// <summary>
/// Grain calls carry the server's own types, never the API's wire records (Crm.Client) or the plugin SDK's (Crm.Sdk):
/// those have no Orleans ids, so they would need a JSON fallback codec, copy slowly, and change the contract between
/// silos of different versions whenever the client package renames a property. The API maps at its edge, and the
/// silo's serializer has no codec for them at all (<see cref="WireSerializationTests"/>).
/// </summary>
public sealed class GrainContractTests
{
    private static readonly Assembly Grains = typeof(ICustomerGrain).Assembly;

    public static TheoryData<string> GrainInterfaces()
    {
        var data = new TheoryData<string>();
        foreach (var type in InterfaceList())
        {
            data.Add(type.FullName!);
        }

        return data;
    }

    private static List<Type> InterfaceList() => Grains.GetTypes()
        .Where(t => t.IsInterface && typeof(IAddressable).IsAssignableFrom(t))
        .OrderBy(t => t.FullName)
        .ToList();

    [Theory]
    [MemberData(nameof(GrainInterfaces))]
    public void A_grain_call_carries_no_wire_type(string interfaceName)
    {
        var leaks = LeaksOf(interfaceName);
        Assert.True(leaks.Count == 0, $"{interfaceName} passes wire types: {string.Join("; ", leaks)}");
    }

    /// <summary>Where the interface's parameters and answers reach wire types, and which (by type name).</summary>
    private static List<string> LeaksOf(string interfaceName) =>
        Grains.GetType(interfaceName, throwOnError: true)!.GetMethods()
            .SelectMany(m => m.GetParameters().Select(p => (p.ParameterType, $"{m.Name}({p.Name})")).Append((m.ReturnType, $"{m.Name} answer")))
            .SelectMany(x => WireTypes.In(x.Item1, x.Item2, Grains, "Crm.Client", "Crm.Sdk"))
            .ToList();

    [Fact]
    public void The_grain_interfaces_are_found()
    {
        var names = InterfaceList().Select(t => t.FullName).ToList();
        Assert.Contains(typeof(ICustomerGrain).FullName, names);
        Assert.Contains("Crm.Grains.Notes.ITemplateGrain", names);
        Assert.Contains("Crm.Grains.Dedup.IDedupIndexGrain", names);
        Assert.Contains("Crm.Grains.Levels.ICustomerLevels", names);
    }
}
