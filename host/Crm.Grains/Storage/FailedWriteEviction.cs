namespace Crm.Grains.Storage;

/// <summary>
/// A grain whose memory never runs ahead of its storage: it changes state only after a commit (the customer grain's
/// event log), so a failed write leaves nothing to forget and <see cref="FailedWriteEviction"/> keeps it active.
/// </summary>
public interface IChangesStateOnlyAfterCommit;

/// <summary>
/// Grains that keep Orleans persistent state change it in memory and then write it. When that write fails (the database
/// is away, a version conflict), the memory holds a change the caller was told failed, and the grain's next successful
/// write would store it: a phantom write. So a grain call that fails on storage deactivates the grain; the next call
/// starts from what is stored.
/// </summary>
public sealed class FailedWriteEviction : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception ex) when (DatabaseFailures.IsStorageFailure(ex) && context.TargetContext.GrainInstance is not IChangesStateOnlyAfterCommit)
        {
            context.TargetContext.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, ex, "a storage write failed; memory may be ahead of storage"));
            throw;
        }
    }
}
