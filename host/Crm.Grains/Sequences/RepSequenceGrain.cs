using Crm.Client;
using Crm.Grains.Calendars;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Org;

namespace Crm.Grains.Sequences;

/// <summary>
/// Check → decide → write for one rep's steps. Plans with <see cref="SequenceScheduler"/> on the rep's unit calendar
/// against what the rep already has per day (read from the table: this grain is the only one adding steps of this rep).
/// </summary>
public sealed class RepSequenceGrain(SequenceStore store, CalendarDirectory calendars, OrgTreeCache tree, StepSender sender, TimeProvider clock)
    : Grain, IRepSequenceGrain
{
    // Well inside Orleans' 30 s response timeout, with one send's budget to spare.
    private static readonly TimeSpan SendBudget = TimeSpan.FromSeconds(8);

    private string RepId => this.GetPrimaryKeyString();

    public async Task<PlanOutcome> Plan(SequencePlan plan)
    {
        var already = await store.EnrolledAsync(plan.SequenceId, plan.CustomerIds);
        var fresh = plan.CustomerIds.Where(c => !already.Contains(c)).Distinct().ToList();
        if (fresh.Count == 0)
        {
            return new PlanOutcome([], already.ToList());
        }

        var calendar = await CalendarAsync();
        var now = clock.GetUtcNow();
        var today = calendar.LocalDate(now);
        var load = await store.LoadAsync(RepId, today);
        var dated = SequenceScheduler.Plan(fresh, plan.Steps.Select(s => s.Day).ToList(), today, calendar, plan.CapPerDay, load);
        var rows = dated.Select(d => new StepRow(plan.SequenceId, d.CustomerId, d.StepIndex, RepId, plan.Steps[d.StepIndex].Channel, d.Date,
            calendar.LocalMorningAt(d.Date), SequenceStatuses.Planned, null, null)).ToList();
        await store.WritePlanAsync(plan.SequenceId, RepId, fresh, rows, now);
        return new PlanOutcome(fresh, already.ToList());
    }

    public async Task<Result<StepRow>> CompleteStep(string sequenceId, Guid customerId, int stepIndex, string outcome, string? text, Actor actor)
    {
        var step = await store.StepAsync(sequenceId, customerId, stepIndex);
        if (step is null || step.RepId != RepId)
        {
            return CrmError.NotFound("Step", $"{sequenceId}/{customerId}/{stepIndex}");
        }

        if (actor.UserId != RepId)
        {
            return CrmError.Forbidden("Only the rep a step is planned for marks it done.");
        }

        if (step.Status != SequenceStatuses.Planned)
        {
            return CrmError.Conflict(ErrorCodes.StepClosed, $"The step is {step.Status}.", new() { ["status"] = step.Status });
        }

        var now = clock.GetUtcNow();
        if (step.DueAt > now)
        {
            return CrmError.Conflict(ErrorCodes.StepNotDue, "The step's day has not come yet.", new() { ["dueAt"] = step.DueAt.ToString("O") });
        }

        var recorded = await GrainFactory.GetGrain<ICustomerGrain>(customerId)
            .AddFollowUp(new NewFollowUp(SequenceChannels.FollowUpOf(step.Channel), outcome, text), actor);
        if (recorded.Error is { } error)
        {
            return error;
        }

        await store.MarkDoneAsync(sequenceId, customerId, stepIndex, outcome, now);
        return step with { Status = SequenceStatuses.Done, Outcome = outcome, DoneAt = now };
    }

    public Task<SendBatch> SendDue() => sender.SendDueAsync(RepId, GrainFactory, SendBudget);

    private async Task<WorkCalendar> CalendarAsync()
    {
        var member = await tree.Member(RepId);
        return (await calendars.ForUnitAsync(member?.OrgUnitId)).Calendar;
    }
}
