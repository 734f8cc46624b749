using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Crm.Client;

// The namespace of the linked ServerProcess, whose Api() answers this class.
namespace Crm.Tests.Infrastructure;

/// <summary>
/// The benchmarks' HTTP client for a <see cref="ServerProcess"/>. The test set's client of the same name asserts with
/// xunit, so the benchmarks have this small one: log in, send JSON or a file, and throw with the answer on any
/// status that is not a success. The timeout is long because one request may import a whole file.
/// </summary>
public sealed class CrmApi : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly HttpClient _http;

    public CrmApi(Uri baseAddress, string? token = null)
    {
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(30) };
        if (token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public async Task<CrmApi> LoginAsAdminAsync()
    {
        var token = await PostAsync<TokenResponse>("/api/auth/token", new TokenRequest("admin", ServerProcess.AdminPassword));
        return new CrmApi(_http.BaseAddress!, token.AccessToken);
    }

    public async Task<T> GetAsync<T>(string path) => Read<T>(await SendAsync(HttpMethod.Get, path, null), path);

    public async Task<T> PostAsync<T>(string path, object body) =>
        Read<T>(await SendAsync(HttpMethod.Post, path, JsonContent.Create(body, body.GetType(), options: Json)), path);

    /// <summary>Sends a request and answers the body as received, so that a caller can time the exchange without the parsing.</summary>
    public async Task<byte[]> SendAsync(HttpMethod method, string path, HttpContent? content, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        if (!response.IsSuccessStatusCode)
        {
            var text = System.Text.Encoding.UTF8.GetString(body);
            throw new HttpRequestException($"{method} {path} answered {(int)response.StatusCode} {response.StatusCode}: {text[..Math.Min(text.Length, 2_000)]}");
        }

        return body;
    }

    public static T Read<T>(byte[] body, string path) =>
        JsonSerializer.Deserialize<T>(body, Json) ?? throw new InvalidOperationException($"{path} answered an empty body.");

    public void Dispose() => _http.Dispose();
}
