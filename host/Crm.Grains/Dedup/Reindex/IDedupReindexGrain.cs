namespace Crm.Grains.Dedup.Reindex;

/// <summary>The one reindex runner of the cluster (key 0): at most one job at a time, resumable from its saved cursor.</summary>
public interface IDedupReindexGrain : IGrainWithIntegerKey
{
    /// <summary>Starts a job; when one is running already, answers that one with <see cref="ReindexStart.AlreadyRunning"/>.</summary>
    Task<ReindexStart> Start();

    /// <summary>Continues the running job if this activation is not running it (after a restart); does nothing otherwise.</summary>
    Task Resume();
}

[GenerateSerializer, Immutable]
public sealed record ReindexStart([property: Id(0)] ReindexJob Job, [property: Id(1)] bool AlreadyRunning);
