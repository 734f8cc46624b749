using System.Reflection;
using System.Text.RegularExpressions;
using Crm.Client;
using Crm.Grains.Push;
using Crm.Server.Hubs;
using Crm.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;

namespace Crm.Tests.Client;

/// <summary>
/// Every event the server can push has a typed event on <see cref="CrmEventStream"/>. The server's events are found two
/// ways: by reflection (every <see cref="ICrmPushEvent"/> record in the client, grains and server assemblies, and the
/// methods of any strongly typed hub client), and by reading the server's sources for every other name that could reach
/// the hub (a <c>PushMessage</c> made by hand, a <c>Clients....SendAsync</c> call). A new event the client lacks fails here.
/// </summary>
public sealed partial class ClientEventCoverageTests
{
    private static readonly Assembly[] ServerAssemblies =
        [typeof(ICrmPushEvent).Assembly, typeof(EventPublisher).Assembly, typeof(RepHub).Assembly];

    [Fact]
    public async Task The_typed_client_listens_to_every_event_the_server_pushes_and_to_nothing_else()
    {
        var server = ServerEventNames();
        await using var stream = new CrmEventStream(new Uri("http://localhost:1"), () => Task.FromResult<string?>(null));
        var client = stream.EventNames.ToHashSet(StringComparer.Ordinal);

        var missing = server.Except(client).Order().ToList();
        var stale = client.Except(server).Order().ToList();
        Assert.True(missing.Count == 0, $"CrmEventStream lacks events the server pushes: {string.Join(", ", missing)}");
        Assert.True(stale.Count == 0, $"CrmEventStream listens to events the server never pushes: {string.Join(", ", stale)}");
        Assert.Contains(nameof(ImportProgress), server); // the scan sees events that are not about one customer
    }

    [Fact]
    public void Each_event_name_has_a_public_typed_event_of_its_record()
    {
        var events = typeof(CrmEventStream).GetEvents(BindingFlags.Public | BindingFlags.Instance).ToDictionary(e => e.Name);
        foreach (var type in PushEventTypes())
        {
            Assert.True(events.TryGetValue(type.Name, out var evt), $"CrmEventStream has no event {type.Name}");
            Assert.Equal(typeof(Action<>).MakeGenericType(type), evt!.EventHandlerType);
        }
    }

    [Fact]
    public void The_source_scan_recognises_names_pushed_by_hand()
    {
        const string source = """
            await grains.GetGrain<IPushChannelGrain>(c).Publish(new PushMessage(nameof(BudgetApproved), json));
            return hub.Clients.Group(channel)
                .SendAsync("QuotaReached", payload);
            """;

        Assert.Equal(["BudgetApproved", "QuotaReached"], NamesInSource(source, "Sample.cs").Order());
    }

    /// <summary>The hub method names the server can send.</summary>
    private static HashSet<string> ServerEventNames()
    {
        var names = PushEventTypes().Select(t => t.Name).ToHashSet(StringComparer.Ordinal);

        // Strongly typed hubs (Hub<TClient>): each client method is an event name.
        foreach (var hub in ServerAssemblies.SelectMany(a => a.GetTypes()))
        {
            for (var type = hub.BaseType; type is not null; type = type.BaseType)
            {
                if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Hub<>))
                {
                    names.UnionWith(type.GetGenericArguments()[0].GetMethods().Select(m => m.Name));
                }
            }
        }

        var host = Path.Combine(RepoPaths.Root, "host");
        foreach (var file in Directory.EnumerateFiles(host, "*.cs", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                                 && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}")))
        {
            names.UnionWith(NamesInSource(File.ReadAllText(file), Path.GetRelativePath(RepoPaths.Root, file)));
        }

        return names;
    }

    private static IEnumerable<Type> PushEventTypes() =>
        ServerAssemblies.SelectMany(a => a.GetTypes())
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ICrmPushEvent).IsAssignableFrom(t))
            .Distinct();

    /// <summary>
    /// Event names a source file sends without going through <see cref="EventPublisher.ToMessage"/>: the first argument of
    /// <c>new PushMessage(...)</c> and of a hub's <c>Clients....SendAsync(...)</c>. A name the scan cannot read fails the
    /// test, so that it is taught rather than fooled.
    /// </summary>
    private static IEnumerable<string> NamesInSource(string source, string file)
    {
        foreach (Match m in HandMadeMessage().Matches(source))
        {
            if (file.EndsWith(Path.Combine("Push", "EventPublisher.cs"), StringComparison.Ordinal))
            {
                continue; // the one sanctioned maker: the name is the record's type name
            }

            yield return NameOf(m.Groups["arg"].Value, file);
        }

        Assert.False(TargetTypedMessage().IsMatch(source), $"{file} makes a PushMessage with new(...); use EventPublisher.ToMessage");

        foreach (Match m in HubSend().Matches(source))
        {
            var arg = m.Groups["arg"].Value.Trim();
            if (arg == "message.EventName")
            {
                continue; // PushRelay forwarding a PushMessage: its names are covered above
            }

            yield return NameOf(arg, file);
        }
    }

    private static string NameOf(string argument, string file)
    {
        var arg = argument.Trim();
        if (NameOfOrLiteral().Match(arg) is { Success: true } m)
        {
            return m.Groups["name"].Value;
        }

        Assert.Fail($"{file} pushes an event named by '{arg}'; name it with nameof(Record) or a literal, or teach this test");
        return "";
    }

    [GeneratedRegex(@"\bnew\s+(?:Crm\.Grains\.Push\.)?PushMessage\s*\(\s*(?<arg>[^,]+),")]
    private static partial Regex HandMadeMessage();

    [GeneratedRegex(@"\bPushMessage\s+\w+\s*=\s*new\s*\(")]
    private static partial Regex TargetTypedMessage();

    [GeneratedRegex(@"\bClients\b[^;]*?\.Send(?:Core)?Async\s*\(\s*(?<arg>[^,)]+)", RegexOptions.Singleline)]
    private static partial Regex HubSend();

    [GeneratedRegex(@"^(?:nameof\((?:[\w.]+\.)?(?<name>\w+)\)|""(?<name>\w+)"")$")]
    private static partial Regex NameOfOrLiteral();
}
