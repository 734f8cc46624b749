namespace Crm.Grains.Assignment;

[GenerateSerializer]
public sealed class AssignmentState
{
    /// <summary>What each strategy asked to keep for this pool (a round-robin cursor), by strategy name.</summary>
    [Id(0)] public Dictionary<string, string> StrategyStates { get; set; } = [];

    /// <summary>Leads waiting for the next batch (batch mode).</summary>
    [Id(1)] public List<Guid> Pending { get; set; } = [];

    /// <summary>Leads no rep could take, with why; they stay in the pool and are retried by every sweep.</summary>
    [Id(2)] public Dictionary<Guid, UnassignedEntry> Unassigned { get; set; } = [];

    /// <summary>Leads handed to each rep on <see cref="ReceivedDay"/> (UTC), for strategies that share a day's leads.</summary>
    [Id(3)] public Dictionary<string, int> ReceivedToday { get; set; } = [];

    [Id(4)] public DateOnly ReceivedDay { get; set; }

    [Id(5)] public long Assigned { get; set; }

    /// <summary>Assignments the fallback strategy made because the pool's strategy failed.</summary>
    [Id(6)] public long FellBack { get; set; }

    [Id(7)] public string? LastFault { get; set; }

    [Id(8)] public DateTimeOffset? LastFaultAt { get; set; }
}

[GenerateSerializer, Immutable]
public sealed record UnassignedEntry([property: Id(0)] string Reason, [property: Id(1)] DateTimeOffset Since);
