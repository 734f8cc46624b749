using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Plugins;
using Crm.Grains.Visits;
using Crm.Sdk;
using Microsoft.Extensions.Options;

namespace Crm.Server.Api.FieldWork;

/// <summary>
/// Runs the configured geocoder plugin (<see cref="FieldWorkOptions.Geocoder"/>) on an address, on the thread pool
/// under a real-time budget, and checks its answer: a miss is the address's fault (422), a throw, a timeout or a point
/// off the globe is the geocoder's (503, counted as a fault in <c>GET /api/plugins</c>).
/// </summary>
public sealed class AddressGeocoding(IStrategyCatalog catalog, IOptions<FieldWorkOptions> options)
{
    // Budgets are real elapsed time: business time (the injected clock) may stand still in tests.
    private static readonly TimeProvider Wall = TimeProvider.System;

    public string GeocoderName => options.Value.Geocoder;

    /// <summary>The accuracy a point of this precision claims when the geocoder gives none.</summary>
    public static double DefaultAccuracyMeters(GeocodePrecision precision) => precision switch
    {
        GeocodePrecision.Address => 50,
        GeocodePrecision.Street => 500,
        GeocodePrecision.District => 10_000,
        GeocodePrecision.City => 30_000,
        _ => 200_000,
    };

    public async Task<Result<GeocodeResult>> GeocodeAsync(string address)
    {
        var name = options.Value.Geocoder;
        using var lease = catalog.RentGeocoder(name);
        if (lease is null)
        {
            return Unavailable($"No loaded plugin offers the geocoder '{name}' (Crm:FieldWork:Geocoder).");
        }

        var health = lease.Health;
        health.RecordCall();
        var timeout = options.Value.GeocodeTimeout;
        using var cancel = new CancellationTokenSource(timeout);
        var request = new GeocodeRequest { Address = address, Settings = options.Value.GeocoderSettings };
        var work = Task.Run(() => lease.Strategy.GeocodeAsync(request, cancel.Token));
        try
        {
            var result = await work.WaitAsync(timeout + TimeSpan.FromSeconds(1));
            if (result is null || result.Found && !GeoMath.IsValid(result.Latitude, result.Longitude))
            {
                var fault = result is null ? "answered null" : $"answered a point off the globe ({result.Latitude}, {result.Longitude})";
                health.RecordFault(fault, Wall.GetUtcNow());
                return Unavailable($"The geocoder '{name}' {fault}.");
            }

            if (!result.Found)
            {
                return new CrmError(ErrorCodes.AddressNotGeocoded,
                    $"The geocoder '{name}' found no place in the address '{address}': {result.Reason ?? "not found"}. Correct the address, or set the location by hand.",
                    422, new() { ["address"] = address, ["geocoder"] = name });
            }

            return double.IsFinite(result.AccuracyMeters) && result.AccuracyMeters > 0
                ? result
                : result with { AccuracyMeters = DefaultAccuracyMeters(result.Precision) };
        }
        catch (TimeoutException)
        {
            health.RecordTimeout($"no answer within {timeout.TotalSeconds:0.#} s", Wall.GetUtcNow());
            _ = work.ContinueWith(_ => health.RecordLateReturn(), TaskScheduler.Default);
            return Unavailable($"The geocoder '{name}' did not answer within {timeout.TotalSeconds:0.#} s.");
        }
        catch (Exception ex)
        {
            var reason = ex is OperationCanceledException ? $"cancelled after {timeout.TotalSeconds:0.#} s" : $"{ex.GetType().Name}: {ex.Message}";
            health.RecordFault(reason, Wall.GetUtcNow());
            return Unavailable($"The geocoder '{name}' failed: {reason}");
        }
    }

    private static CrmError Unavailable(string message) => new(ErrorCodes.GeocoderUnavailable, message, 503);
}
