namespace Crm.Sdk;

/// <summary>
/// Turns a customer's address into a point: <c>POST /api/customers/{id}/location/geocode</c> uses
/// the geocoder named in the host's settings (<c>Crm:FieldWork:Geocoder</c>). The standard plugin's
/// <c>china-divisions</c> answers offline with the centre of the district or city the address names; a plugin may
/// call an external service instead.
/// </summary>
/// <remarks>
/// One instance serves every request at once: keep no mutable state in fields. The geocoder's own configuration
/// arrives with each request (<see cref="GeocodeRequest.Settings"/>). Calls run on the thread pool under the host's
/// time budget; honour the cancellation token.
/// </remarks>
public interface IGeocoder
{
    /// <summary>A unique name, e.g. <c>china-divisions</c>; the host's settings refer to it and the location's source says <c>geocoder:name</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Finds the point of an address. Answer <see cref="GeocodeResult.NotFound"/> when the text names no place the
    /// geocoder knows; throw (or fail to answer in time) only when the geocoder itself is broken or unreachable.
    /// </summary>
    /// <param name="request">The address and this geocoder's settings.</param>
    /// <param name="cancellationToken">Cancelled when the host's time budget runs out.</param>
    Task<GeocodeResult> GeocodeAsync(GeocodeRequest request, CancellationToken cancellationToken);
}
