using System.Globalization;

namespace Crm.Grains.Customers.Events;

/// <summary>
/// The pool's recycle rule took the customer from its owner: no follow-up (or no deal, or no visit) for too long. It
/// drops into its own public pool, or into <see cref="ToPoolId"/> when the rule names another.
/// </summary>
public sealed record Recycled(
    DateTimeOffset At,
    string RepId,
    string Rule,
    int Days,
    DateTimeOffset Deadline,
    string Reason,
    DateTimeOffset? LockedUntil,
    DateTimeOffset? CoolDownUntil,
    string? ToPoolId = null,
    string? ToOrgUnitId = null) : CustomerEvent(At, Common.Actor.System.UserId)
{
    public override string Kind => TimelineKinds.Recycled;

    public override void ApplyTo(CustomerState state)
    {
        state.LetGo(Kind, RepId, At, LockedUntil, CoolDownUntil);
        if (ToPoolId is not null && ToOrgUnitId is not null)
        {
            state.PoolId = ToPoolId;
            state.OrgUnitId = ToOrgUnitId;
        }
    }

    public override TimelineFields Describe() => new(Reason, null, new()
    {
        ["repId"] = RepId,
        ["rule"] = Rule,
        ["days"] = Days.ToString(CultureInfo.InvariantCulture),
        ["deadline"] = Deadline.ToString("O", CultureInfo.InvariantCulture),
        ["toPoolId"] = ToPoolId,
    });
}
