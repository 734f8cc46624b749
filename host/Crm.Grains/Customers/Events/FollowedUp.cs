namespace Crm.Grains.Customers.Events;

/// <summary>A follow-up (visit, call, message, e-mail) and its outcome, at the time it happened.</summary>
public sealed record FollowedUp(
    DateTimeOffset At,
    string? ActorId,
    string Type,
    string? Outcome,
    string? Text,
    string? Location,
    Guid? RequestId = null) : CustomerEvent(At, ActorId)
{
    public override string Kind => TimelineKinds.FollowUp;

    public override void ApplyTo(CustomerState state)
    {
        if (state.LastFollowUpAt is null || At > state.LastFollowUpAt)
        {
            state.LastFollowUpAt = At;
        }

        if (RequestId is { } request)
        {
            state.RememberFollowUp(new RecentRequest(request, state.Version, At));
        }
    }

    public override TimelineFields Describe() =>
        new(null, Text, new() { ["type"] = Type, ["outcome"] = Outcome, ["location"] = Location });
}
