using Crm.Grains.Common;

namespace Crm.Grains.Visits;

/// <summary>
/// A customer's field work, served by the same activation as <see cref="Customers.ICustomerGrain"/> (same key, same
/// grain class): its location and the visits to it, all events on the customer's log.
/// </summary>
public interface IFieldWorkGrain : IGrainWithGuidKey
{
    Task<CustomerLocation?> GetLocation();

    /// <summary>Sets the location (owner, manager or admin; a geocoder acts as the server).</summary>
    Task<Result<CustomerLocation>> SetLocation(GeoPoint point, double? accuracyMeters, string source, Actor actor);

    /// <summary>
    /// The address to geocode, for whoever may set the location (owner, manager, admin); 409 <c>no-address</c> when the
    /// card has none. Asked before the geocoder runs, so nobody else makes the server call a geocoder.
    /// </summary>
    Task<Result<string>> AddressToGeocode(Actor actor);

    /// <summary>Checks a rep in at the customer: refused without consent or off hours; flagged when far or implausible.</summary>
    Task<Result<VisitRecord>> CheckIn(CheckInCommand command, Actor actor);

    /// <summary>Ends an open visit: its duration, and a flag when it was too short.</summary>
    Task<Result<VisitRecord>> CheckOut(string visitId, CheckOutCommand command, Actor actor);
}
