using Crm.Sdk;
using Crm.Tests.Plugins;

namespace Crm.Tests.Assignment;

/// <summary>Small builders for strategy tests, and a host stand-in that feeds leads through a strategy.</summary>
internal static class StrategyKit
{
    public static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public static RepCandidate Rep(string id, int owned = 0, int? capacity = null, bool active = true) =>
        new() { RepId = id, OwnedCount = owned, Capacity = capacity, IsActive = active, JoinedAt = Now.AddYears(-2), DealsWon = 50 };

    public static CustomerSnapshot Lead(string id = "lead-1", string? industry = null, string? region = null, string? language = null,
        string? address = null, IReadOnlyDictionary<string, string>? fields = null) => new()
    {
        Id = id,
        Name = "Lead " + id,
        Industry = industry,
        Region = region,
        Language = language,
        Address = address,
        Fields = fields ?? new Dictionary<string, string>(),
    };

    public static AssignmentRequest Request(IEnumerable<RepCandidate> reps, CustomerSnapshot? lead = null,
        IReadOnlyDictionary<string, string>? options = null, string? state = null) => new()
    {
        Lead = lead ?? Lead(),
        Candidates = reps.OrderBy(r => r.RepId, StringComparer.Ordinal).ToList(),
        Pool = new PoolContext { PoolId = "pool-1", Options = options ?? new Dictionary<string, string>(), StrategyState = state },
        Now = Now,
    };

    public static Dictionary<string, string> Options(params (string Key, string Value)[] options) =>
        options.ToDictionary(o => o.Key, o => o.Value);

    /// <summary>A standard strategy as the server gets it: loaded from the standard plugin's folder by the plugin host.</summary>
    public static IAssignmentStrategy Standard(string name)
    {
        using var lease = Loaded.Value.Host.RentAssignment(name) ?? throw new InvalidOperationException($"No strategy '{name}' was loaded.");
        return lease.Strategy;
    }

    private static readonly Lazy<InProcessPlugins> Loaded = new(() =>
    {
        var directory = new PluginDirectory().WithStandard();
        var plugins = new InProcessPlugins(directory, budgetMs: 1000);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            plugins.Dispose();
            directory.Dispose();
        };
        return plugins;
    });

    /// <summary>
    /// Hands <paramref name="leads"/> leads out one by one as the host does: each assignment raises the rep's book and
    /// its count for the day, and the strategy state is kept between calls. Answers leads received per rep.
    /// </summary>
    public static Dictionary<string, int> Run(IAssignmentStrategy strategy, IEnumerable<RepCandidate> reps, int leads,
        IReadOnlyDictionary<string, string>? options = null, Func<int, CustomerSnapshot>? lead = null)
    {
        var current = reps.ToDictionary(r => r.RepId);
        var received = current.Keys.ToDictionary(k => k, _ => 0);
        string? state = null;
        for (var i = 0; i < leads; i++)
        {
            var decision = strategy.Choose(Request(current.Values, lead?.Invoke(i) ?? Lead($"lead-{i}"), options, state));
            state = decision.StrategyState;
            if (decision.RepId is { } id)
            {
                var rep = current[id];
                Assert.False(rep.IsFull, $"{strategy.Name} chose {id}, who is full");
                Assert.True(rep.IsActive, $"{strategy.Name} chose {id}, who is off duty");
                current[id] = rep with { OwnedCount = rep.OwnedCount + 1, ReceivedToday = rep.ReceivedToday + 1 };
                received[id]++;
            }
        }

        return received;
    }

    public static int Spread(IEnumerable<int> counts)
    {
        var list = counts.ToList();
        return list.Max() - list.Min();
    }
}
