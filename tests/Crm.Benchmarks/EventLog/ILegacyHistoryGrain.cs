namespace Crm.Benchmarks.EventLog;

/// <summary>
/// The customer grain before the event log (commit cdecf5f), reduced to what a follow-up cost there: the whole
/// history lives in the grain's persisted state and every change rewrites that state through the "crm" grain storage.
/// </summary>
public interface ILegacyHistoryGrain : IGrainWithGuidKey
{
    /// <summary>Fills the history with <paramref name="entries"/> follow-ups in memory and writes the state once.</summary>
    Task Seed(int entries);

    /// <summary>One follow-up as the old grain did it: append to the timeline, write the whole state.</summary>
    Task FollowUp(string repId, string text);

    /// <summary>History length; the first call after a deactivation measures the activation (the state read).</summary>
    Task<int> Count();

    /// <summary>The size of the serialized state, which is what the storage reads on activation.</summary>
    Task<int> StateBytes();
}
