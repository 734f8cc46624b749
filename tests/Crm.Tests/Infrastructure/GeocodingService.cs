using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Crm.Tests.Infrastructure;

/// <summary>
/// A geocoding service for the HTTP geocoder sample: Kestrel on a random loopback port answering
/// <c>GET /geocode?address=&amp;key=</c> with the fixed JSON the test gave for that address; a wrong key is a 403,
/// an unknown address a 404; an address can be made to fail (500) or to answer late.
/// </summary>
public sealed class GeocodingService : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _answers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TimeSpan> _delays = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<string> _failing = [];
    private readonly ConcurrentQueue<string> _asked = new();
    private readonly string _key;

    private GeocodingService(string key)
    {
        _key = key;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapGet("/geocode", async (string? address, string? key, CancellationToken aborted) =>
        {
            _asked.Enqueue(address ?? "");
            if (key != _key)
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }

            if (_delays.TryGetValue(address ?? "", out var delay))
            {
                await Task.Delay(delay, aborted);
            }

            if (_failing.Contains(address ?? ""))
            {
                return Results.StatusCode(StatusCodes.Status500InternalServerError);
            }

            return _answers.TryGetValue(address ?? "", out var json) ? Results.Text(json, "application/json") : Results.NotFound();
        });
    }

    public string BaseUrl { get; private set; } = "";

    /// <summary>The addresses asked for, in order.</summary>
    public IReadOnlyCollection<string> Asked => _asked.ToArray();

    public static async Task<GeocodingService> StartAsync(string key)
    {
        var service = new GeocodingService(key);
        await service._app.StartAsync();
        service.BaseUrl = service._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return service;
    }

    public GeocodingService Answer(string address, string json)
    {
        _answers[address] = json;
        return this;
    }

    public GeocodingService Fail(string address)
    {
        _failing.Add(address);
        return this;
    }

    public GeocodingService Delay(string address, TimeSpan delay)
    {
        _delays[address] = delay;
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
