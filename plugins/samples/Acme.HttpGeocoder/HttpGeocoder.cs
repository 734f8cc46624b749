using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Crm.Sdk;

namespace Acme.HttpGeocoder;

/// <summary>
/// <c>acme-http</c>: asks an external geocoding service over HTTP. Settings (<c>Crm:FieldWork:GeocoderSettings</c>):
/// <c>BaseUrl</c> (required), <c>Key</c> (sent as the <c>key</c> query parameter), <c>TimeoutSeconds</c> (5).
/// The service answers <c>GET {BaseUrl}/geocode?address=...&amp;key=...</c> with
/// <c>{"status":"ok","lat":30.27,"lon":120.15,"accuracy":25,"precision":"address","formatted":"..."}</c>, or
/// <c>{"status":"not-found","message":"..."}</c> (or a 404). Anything else (a refused key, a 5xx, no answer in time) is
/// the service's failure: thrown, so the host answers 503 and counts the fault.
/// </summary>
public sealed class HttpGeocoder : IGeocoder
{
    // One client for every request: sockets are pooled, DNS is refreshed every few minutes.
    private static readonly HttpClient Client = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = Timeout.InfiniteTimeSpan, // each request has its own, from the settings
    };

    public string Name => "acme-http";

    public async Task<GeocodeResult> GeocodeAsync(GeocodeRequest request, CancellationToken cancellationToken)
    {
        var baseUrl = request.Settings.TryGetValue("BaseUrl", out var url) && Uri.TryCreate(url, UriKind.Absolute, out var parsed)
            ? parsed
            : throw new InvalidOperationException("Setting 'BaseUrl' (an absolute http(s) URL) is missing.");
        var timeout = TimeSpan.FromSeconds(request.Settings.TryGetValue("TimeoutSeconds", out var seconds)
            && double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 5);
        var query = "geocode?address=" + Uri.EscapeDataString(request.Address)
            + (request.Settings.TryGetValue("Key", out var key) && key.Length > 0 ? "&key=" + Uri.EscapeDataString(key) : "");

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(timeout);
        using var response = await Client.GetAsync(new Uri(WithSlash(baseUrl), query), budget.Token);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return GeocodeResult.NotFound("the geocoding service knows no such address");
        }

        response.EnsureSuccessStatusCode(); // 401/403 (a wrong key), 429, 5xx: the service's failure
        var answer = await response.Content.ReadFromJsonAsync<ServiceAnswer>(budget.Token)
            ?? throw new InvalidOperationException("The geocoding service answered an empty body.");
        return answer.Status switch
        {
            "ok" when answer.Lat is { } lat && answer.Lon is { } lon =>
                GeocodeResult.Located(lat, lon, answer.Accuracy ?? 0, PrecisionOf(answer.Precision), answer.Formatted),
            "not-found" => GeocodeResult.NotFound(answer.Message ?? "the geocoding service knows no such address"),
            _ => throw new InvalidOperationException($"The geocoding service answered status '{answer.Status}' without a point."),
        };
    }

    private static Uri WithSlash(Uri baseUrl) => baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");

    private static GeocodePrecision PrecisionOf(string? precision) => precision?.ToLowerInvariant() switch
    {
        "address" or "rooftop" or "building" => GeocodePrecision.Address,
        "street" => GeocodePrecision.Street,
        "district" or "county" => GeocodePrecision.District,
        "city" => GeocodePrecision.City,
        _ => GeocodePrecision.Province,
    };

    private sealed record ServiceAnswer(
        [property: JsonPropertyName("status")] string? Status,
        [property: JsonPropertyName("lat")] double? Lat,
        [property: JsonPropertyName("lon")] double? Lon,
        [property: JsonPropertyName("accuracy")] double? Accuracy,
        [property: JsonPropertyName("precision")] string? Precision,
        [property: JsonPropertyName("formatted")] string? Formatted,
        [property: JsonPropertyName("message")] string? Message);
}
