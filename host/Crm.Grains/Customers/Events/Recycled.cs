using System.Globalization;

namespace Crm.Grains.Customers.Events;

/// <summary>The pool's recycle rule took the customer from its owner: no follow-up (or no deal) for too long.</summary>
public sealed record Recycled(
    DateTimeOffset At,
    string RepId,
    string Rule,
    int Days,
    DateTimeOffset Deadline,
    string Reason,
    DateTimeOffset? LockedUntil,
    DateTimeOffset? CoolDownUntil) : CustomerEvent(At, Common.Actor.System.UserId)
{
    public override string Kind => TimelineKinds.Recycled;

    public override void ApplyTo(CustomerState state) => state.LetGo(Kind, RepId, At, LockedUntil, CoolDownUntil);

    public override TimelineFields Describe() => new(Reason, null, new()
    {
        ["repId"] = RepId,
        ["rule"] = Rule,
        ["days"] = Days.ToString(CultureInfo.InvariantCulture),
        ["deadline"] = Deadline.ToString("O", CultureInfo.InvariantCulture),
    });
}
