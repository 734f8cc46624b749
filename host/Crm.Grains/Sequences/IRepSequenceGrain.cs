using Crm.Grains.Common;

namespace Crm.Grains.Sequences;

/// <summary>
/// A rep's sequence steps (key: the rep's user id): dates newly enrolled customers' steps under the rep's daily cap, and
/// completes steps. One call at a time per rep, so two enrolments never both take a day's last place.
/// </summary>
public interface IRepSequenceGrain : IGrainWithStringKey
{
    Task<PlanOutcome> Plan(SequencePlan plan);

    /// <summary>Records the follow-up on the customer and marks the step done; only the rep, only once its day has come.</summary>
    Task<Result<StepRow>> CompleteStep(string sequenceId, Guid customerId, int stepIndex, string outcome, string? text, Actor actor);

    /// <summary>Sends the rep's due steps through their message channels (<see cref="StepSender"/>).</summary>
    Task<SendBatch> SendDue();
}
