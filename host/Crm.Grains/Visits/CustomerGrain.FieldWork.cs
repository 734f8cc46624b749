using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.EventLog;
using Crm.Grains.Visits;
using Crm.Grains.Visits.Events;

namespace Crm.Grains.Customers;

/// <summary>Field work on the customer grain: its location and visits, decided by <see cref="VisitRules"/>, raised on its log.</summary>
public sealed partial class CustomerGrain : IFieldWorkGrain
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public Task<CustomerLocation?> GetLocation() => Task.FromResult(S.Exists ? S.Location : null);

    public async Task<Result<CustomerLocation>> SetLocation(GeoPoint point, double? accuracyMeters, string source, Actor actor)
    {
        if (await OwnerOrManagerAsync(actor, "Only the rep who owns this customer, or a manager, may set its location.") is { } refused)
        {
            return refused;
        }

        if (!GeoMath.IsValid(point.Lat, point.Lon))
        {
            return CrmError.Invalid("lat", "Latitude must be within -90..90 and longitude within -180..180 (and not 0,0).");
        }

        await RaiseAsync(new LocationSet(clock.GetUtcNow(), actor.UserId, point.Lat, point.Lon, source, accuracyMeters));
        return S.Location!;
    }

    public async Task<Result<string>> AddressToGeocode(Actor actor)
    {
        if (await OwnerOrManagerAsync(actor, "Only the rep who owns this customer, or a manager, may set its location.") is { } refused)
        {
            return refused;
        }

        return S.Profile.Address is { Length: > 0 } address ? address
            : CrmError.Conflict(ErrorCodes.NoAddress, "The customer has no address to geocode: add one to its card, or set the location by hand.");
    }

    public async Task<Result<VisitRecord>> CheckIn(CheckInCommand command, Actor actor)
    {
        if (await OwnerOrManagerAsync(actor, "Only the rep who owns this customer may check in at it.") is { } refused)
        {
            return refused;
        }

        var at = command.At ?? clock.GetUtcNow();
        if (at > clock.GetUtcNow() + ClockSkew)
        {
            return CrmError.Invalid("at", "A check-in is recorded when it happens; 'at' may not be in the future.");
        }

        if (VisitRules.Refusal(command, at) is { } refusal)
        {
            return refusal;
        }

        double? distance = S.Location is { } location ? GeoMath.DistanceMeters(command.Point, location.Point) : null;
        var visit = new VisitCheckedIn(at, actor.UserId, Guid.NewGuid().ToString("N"), command.Point.Lat, command.Point.Lon,
            command.AccuracyMeters, distance, VisitRules.CheckInFlags(command, at, S.Location, distance), command.Photos,
            command.DeviceId, TextInput.TrimOrNull(command.Outcome), TextInput.TrimOrNull(command.Text));
        await RaiseAsync(visit);
        return new VisitRecord(visit.VisitId, Id, actor.UserId, at, command.Point, visit.AccuracyMeters, distance, visit.Flags, visit.Photos);
    }

    public async Task<Result<VisitRecord>> CheckOut(string visitId, CheckOutCommand command, Actor actor)
    {
        if (await ExistingAndSeenAsync(actor) is { } refused)
        {
            return refused;
        }

        if (S.OpenVisits.FirstOrDefault(v => v.VisitId == visitId) is not { } open)
        {
            return CrmError.Conflict(ErrorCodes.VisitClosed, $"Visit '{visitId}' is not open: it was checked out already.", new() { ["visitId"] = visitId });
        }

        if (open.RepId != actor.UserId && !actor.IsManagerOrAdmin)
        {
            return CrmError.Forbidden("Only the rep who checked in may check out.");
        }

        var at = command.At ?? clock.GetUtcNow();
        if (at > clock.GetUtcNow() + ClockSkew || at < open.At)
        {
            return CrmError.Invalid("at", "A check-out is after its check-in and not in the future.");
        }

        var flags = VisitRules.CheckOutFlags(command, open, at, S.Location);
        var ended = new VisitCheckedOut(at, actor.UserId, visitId, open.At, command.Point?.Lat, command.Point?.Lon, (at - open.At).TotalMinutes, flags);
        await RaiseAsync(ended);
        return new VisitRecord(visitId, Id, open.RepId, open.At, open.Point, null, null, [], [], at, ended.DurationMinutes, flags);
    }

    /// <summary>The field-work rows a re-projection (a commit of no events) rewrites from the snapshot.</summary>
    private static IEnumerable<ReadModelStatement> FieldWorkRowsOf(Guid id, CustomerState state) =>
        state.Location is { } location ? [FieldWorkRows.Location(id, location, state.Version)] : [];
}
