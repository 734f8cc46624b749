using System.Reflection;
using Crm.Grains.Customers;
using Crm.Grains.Customers.Events;

namespace Crm.Tests.Architecture;

/// <summary>
/// What the server stores must not be the API's wire types (Crm.Client) or the plugin SDK's (Crm.Sdk): renaming a
/// property in the client package would silently change, or break, what is on disk. Stored: every grain's persisted
/// state, the customer snapshot and the customer events.
/// </summary>
public sealed class StoredStateTests
{
    private static readonly Assembly Grains = typeof(CustomerState).Assembly;

    public static TheoryData<string> StoredTypes()
    {
        var data = new TheoryData<string>();
        foreach (var type in StoredTypeList())
        {
            data.Add(type.FullName!);
        }

        return data;
    }

    private static List<Type> StoredTypeList()
    {
        var persisted = Grains.GetTypes()
            .Where(t => typeof(Grain).IsAssignableFrom(t))
            .SelectMany(t => t.GetConstructors().SelectMany(c => c.GetParameters()))
            .Select(p => p.ParameterType)
            .Where(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IPersistentState<>))
            .Select(t => t.GetGenericArguments()[0]);
        var events = Grains.GetTypes().Where(t => t.IsSubclassOf(typeof(CustomerEvent)) && !t.IsAbstract);
        return persisted.Append(typeof(CustomerState)).Concat(events).Distinct().OrderBy(t => t.FullName).ToList();
    }

    [Theory]
    [MemberData(nameof(StoredTypes))]
    public void A_stored_type_holds_no_wire_type(string typeName)
    {
        var type = Grains.GetType(typeName, throwOnError: true)!;
        var leaks = WireTypes.In(type, type.Name, Grains, "Crm.Client", "Crm.Sdk").ToList();
        Assert.True(leaks.Count == 0, $"{typeName} stores wire types: {string.Join("; ", leaks)}");
    }

    [Fact]
    public void The_stored_types_are_found()
    {
        var names = StoredTypeList().Select(t => t.FullName).ToList();
        Assert.Contains(typeof(CustomerState).FullName, names);
        Assert.Contains("Crm.Grains.Reps.RepState", names);
        Assert.Contains("Crm.Grains.Pools.PoolState", names);
        Assert.Contains("Crm.Grains.Notes.TemplateState", names);
        Assert.Contains(typeof(StageMoved).FullName, names);
    }
}
