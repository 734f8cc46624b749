using Crm.Grains.Common;

namespace Crm.Grains.Assignment;

/// <summary>
/// Automatic assignment of one public pool (key: pool id): runs the pool's strategy on leads entering the pool,
/// at once or in batches, keeps the strategy's state (a round-robin cursor) and the leads nobody could take.
/// </summary>
public interface IAssignmentGrain : IGrainWithStringKey
{
    /// <summary>A lead entered the pool (created, released, recycled). One-way: the caller may be the customer itself.</summary>
    [OneWay]
    Task LeadEntered(Guid customerId, string trigger);

    /// <summary>Many leads entered the pool at once (an import's batch): <see cref="LeadEntered"/> for each, one call.</summary>
    [OneWay]
    Task LeadsEntered(IReadOnlyList<Guid> customerIds, string trigger);

    /// <summary>Assigns one lead now by the pool's rule, whatever the mode, and says what happened.</summary>
    Task<AssignmentAttempt> AssignNow(Guid customerId, string trigger);

    /// <summary>Assigns the queued leads and sweeps the pool for unowned ones (the batch, and the reconcile path).</summary>
    Task<BatchSummary> RunBatch();

    /// <summary>A dry run: who would get what, changing nothing. The request is validated by the caller.</summary>
    Task<Simulation> Simulate(string strategy, IReadOnlyDictionary<string, string> options, IReadOnlyList<LeadCard>? leads, int? lastDays);

    Task<AssignmentStatus> GetStatus();

    /// <summary>The pool's rules changed: re-read them and re-arm the schedule.</summary>
    Task RulesChanged();

    /// <summary>A rep's profile or the team changed: re-read the roster on the next decision.</summary>
    Task RosterChanged();
}
