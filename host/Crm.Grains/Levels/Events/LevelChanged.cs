using System.Globalization;
using Crm.Grains.Customers;
using Crm.Grains.Customers.Events;

namespace Crm.Grains.Levels.Events;

/// <summary>
/// The customer's level changed: by a person (<see cref="ByHand"/>; a null <see cref="To"/> hands it back to the rule)
/// or by the rule over its orders, which then says what it counted.
/// </summary>
public sealed record LevelChanged(
    DateTimeOffset At,
    string? ActorId,
    string? From,
    string? To,
    bool ByHand,
    string? Reason,
    int? Orders = null,
    decimal? AverageAmount = null) : CustomerEvent(At, ActorId)
{
    public override string Kind => TimelineKinds.LevelChanged;

    public override void ApplyTo(CustomerState state)
    {
        state.Level = To;
        state.LevelByHand = ByHand && To is not null;
    }

    public override TimelineFields Describe() => new(Reason, null, new()
    {
        ["from"] = From,
        ["to"] = To,
        ["by"] = ByHand ? "hand" : "rule",
        ["orders"] = Orders?.ToString(CultureInfo.InvariantCulture),
        ["averageAmount"] = AverageAmount?.ToString(CultureInfo.InvariantCulture),
    });
}
