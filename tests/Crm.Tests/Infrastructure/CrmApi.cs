using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Crm.Client;

namespace Crm.Tests.Infrastructure;

/// <summary>The HTTP API as a test drives it: raw enough to send bad input, typed enough to read like the domain.</summary>
public sealed class CrmApi
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly HttpClient _http;

    public CrmApi(Uri baseAddress, string? token = null)
    {
        BaseAddress = baseAddress;
        Token = token;
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public Uri BaseAddress { get; }

    public string? Token { get; }

    public string UserId { get; init; } = "";

    public async Task<CrmApi> LoginAsync(string userName, string password)
    {
        var token = await SendAsync<TokenResponse>(HttpMethod.Post, "/api/auth/token", new TokenRequest(userName, password));
        token.EnsureStatus(HttpStatusCode.OK);
        var subject = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token.Value!.AccessToken)
            .GetClaim(System.Security.Claims.ClaimTypes.NameIdentifier).Value;
        return new CrmApi(BaseAddress, token.Value.AccessToken) { UserId = subject };
    }

    public Task<CrmApi> LoginAsAdminAsync() => LoginAsync("admin", ServerProcess.AdminPassword);

    public Task<ApiResponse<T>> SendAsync<T>(HttpMethod method, string path, object? body = null) =>
        SendAsync<T>(method, path, body, null);

    /// <summary>A request with extra headers (e.g. <c>Idempotency-Key</c>).</summary>
    public async Task<ApiResponse<T>> SendAsync<T>(HttpMethod method, string path, object? body, IReadOnlyDictionary<string, string>? headers)
    {
        using var request = new HttpRequestMessage(method, path);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.Add(name, value);
        }

        if (body is string raw)
        {
            request.Content = new StringContent(raw, System.Text.Encoding.UTF8, "application/json");
        }
        else if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (response.IsSuccessStatusCode)
        {
            var value = string.IsNullOrEmpty(text) ? default : JsonSerializer.Deserialize<T>(text, Json);
            return new ApiResponse<T>(response.StatusCode, value, null, text);
        }

        JsonElement? problem = null;
        if (!string.IsNullOrEmpty(text) && text.TrimStart().StartsWith('{'))
        {
            problem = JsonDocument.Parse(text).RootElement.Clone();
        }

        return new ApiResponse<T>(response.StatusCode, default, problem, text);
    }

    /// <summary>Imports a CSV file into a pool (<c>POST /api/customers/import</c>) and reads its report.</summary>
    public async Task<ApiResponse<ImportReport>> ImportCsvAsync(string poolId, string csv)
    {
        using var response = await _http.PostAsync($"/api/customers/import?poolId={Uri.EscapeDataString(poolId)}",
            new StringContent(csv, System.Text.Encoding.UTF8, "text/csv"));
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? new ApiResponse<ImportReport>(response.StatusCode, JsonSerializer.Deserialize<ImportReport>(text, Json), null, text)
            : new ApiResponse<ImportReport>(response.StatusCode, default, JsonDocument.Parse(text).RootElement.Clone(), text);
    }

    /// <summary>Sends as is and keeps only the status, the ProblemDetails code and whether a Retry-After header came back.</summary>
    public async Task<(HttpStatusCode Status, string? Code, bool RetryAfter)> SendRawAsync(HttpRequestMessage request)
    {
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        string? code = null;
        if (text.TrimStart().StartsWith('{') && JsonDocument.Parse(text).RootElement.TryGetProperty("code", out var c))
        {
            code = c.GetString();
        }

        return (response.StatusCode, code, response.Headers.RetryAfter is not null);
    }

    public Task<ApiResponse<JsonElement>> GetAsync(string path) => SendAsync<JsonElement>(HttpMethod.Get, path);

    /// <summary>A GET whose body is not JSON (CSV exports): the text is in <see cref="ApiResponse{T}.Body"/>.</summary>
    public async Task<ApiResponse<string>> GetTextAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        JsonElement? problem = !response.IsSuccessStatusCode && text.TrimStart().StartsWith('{') ? JsonDocument.Parse(text).RootElement.Clone() : null;
        return new ApiResponse<string>(response.StatusCode, response.IsSuccessStatusCode ? text : null, problem, text);
    }

    /// <summary>A GET of a binary file (XLSX exports).</summary>
    public async Task<(HttpStatusCode Status, byte[] Body)> GetBytesAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync());
    }

    public Task<ApiResponse<OrgUnitDto>> CreateOrgUnitAsync(string name, string? parentId = null) =>
        SendAsync<OrgUnitDto>(HttpMethod.Post, "/api/org-units", new CreateOrgUnitRequest(name, parentId));

    public Task<ApiResponse<UserDto>> CreateUserAsync(string userName, Role role, string? orgUnitId, string password = "rep-Passw0rd!") =>
        SendAsync<UserDto>(HttpMethod.Post, "/api/users", new CreateUserRequest(userName, password, userName.ToUpperInvariant(), role, orgUnitId));

    public Task<ApiResponse<PoolDto>> CreatePoolAsync(string name, string orgUnitId, PoolRules? rules = null) =>
        SendAsync<PoolDto>(HttpMethod.Post, "/api/pools", new CreatePoolRequest(name, orgUnitId, rules ?? new PoolRules()));

    public Task<ApiResponse<CustomerDto>> CreateCustomerAsync(CreateCustomerRequest request) =>
        SendAsync<CustomerDto>(HttpMethod.Post, "/api/customers", request);

    public Task<ApiResponse<CustomerDto>> GetCustomerAsync(Guid id) =>
        SendAsync<CustomerDto>(HttpMethod.Get, $"/api/customers/{id}");

    /// <summary>The whole timeline, oldest first, read page by page (newest first) as a client scrolls back.</summary>
    public async Task<ApiResponse<List<TimelineEntryDto>>> TimelineAsync(Guid id)
    {
        var entries = new List<TimelineEntryDto>();
        var page = await TimelinePageAsync(id, null, 200);
        while (page.Status == HttpStatusCode.OK)
        {
            entries.AddRange(page.Value!.Items);
            if (page.Value.NextBefore is null)
            {
                entries.Reverse();
                return new ApiResponse<List<TimelineEntryDto>>(page.Status, entries, null, page.Body);
            }

            page = await TimelinePageAsync(id, page.Value.NextBefore, 200);
        }

        return new ApiResponse<List<TimelineEntryDto>>(page.Status, null, page.Problem, page.Body);
    }

    public Task<ApiResponse<TimelinePage>> TimelinePageAsync(Guid id, string? before, int limit) =>
        SendAsync<TimelinePage>(HttpMethod.Get, $"/api/customers/{id}/timeline?limit={limit}{(before is null ? "" : $"&before={before}")}");

    public Task<ApiResponse<Page<CustomerDto>>> SearchAsync(string queryString) =>
        SendAsync<Page<CustomerDto>>(HttpMethod.Get, $"/api/customers?{queryString}");

    public Task<ApiResponse<CustomerDto>> ClaimAsync(Guid id) =>
        SendAsync<CustomerDto>(HttpMethod.Post, $"/api/customers/{id}/claim");

    public Task<ApiResponse<CustomerDto>> ReleaseAsync(Guid id, string? reason = null) =>
        SendAsync<CustomerDto>(HttpMethod.Post, $"/api/customers/{id}/release", new ReleaseRequest(reason));

    public Task<ApiResponse<CustomerDto>> AssignAsync(Guid id, string repId, string? reason = null) =>
        SendAsync<CustomerDto>(HttpMethod.Post, $"/api/customers/{id}/assign", new AssignRequest(repId, reason));

    public Task<ApiResponse<TimelineEntryDto>> FollowUpAsync(Guid id, FollowUpType type, string outcome, string? text = null) =>
        SendAsync<TimelineEntryDto>(HttpMethod.Post, $"/api/customers/{id}/follow-ups", new FollowUpRequest(type, outcome, text));

    public Task<ApiResponse<CustomerDto>> ChangeStageAsync(Guid id, Stage stage, string? reason = null) =>
        SendAsync<CustomerDto>(HttpMethod.Post, $"/api/customers/{id}/stage", new StageChangeRequest(stage, reason));
}

public sealed record ApiResponse<T>(HttpStatusCode Status, T? Value, JsonElement? Problem, string Body)
{
    public ApiResponse<T> EnsureStatus(HttpStatusCode expected)
    {
        Assert.True(Status == expected, $"Expected {(int)expected} {expected}, got {(int)Status} {Status}: {Body}");
        return this;
    }

    /// <summary>The ProblemDetails <c>code</c> of a refusal (already-owned, capacity-full, ...).</summary>
    public string? Code => Problem is { } p && p.TryGetProperty("code", out var code) ? code.GetString() : null;

    /// <summary>The fields named in a 400 ValidationProblem.</summary>
    public IReadOnlyList<string> ErrorFields => Problem is { } p && p.TryGetProperty("errors", out var errors)
        ? errors.EnumerateObject().Select(e => e.Name).ToList()
        : [];
}
