using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Crm.Client;

/// <summary>
/// Typed client of the CRM REST API. Log in once, then call; a refusal throws <see cref="CrmApiException"/> with
/// the server's code. <see cref="ConnectEventsAsync"/> opens the live event stream with the same login.
/// </summary>
/// <example>
/// <code>
/// using var crm = new CrmClient(new Uri("http://localhost:5080"));
/// await crm.LoginAsync("li.wei", "secret");
/// await using var events = await crm.ConnectEventsAsync();
/// events.CustomerAssigned += e => Console.WriteLine($"New customer {e.CustomerId}");
/// var lead = await crm.CreateCustomerAsync(new CreateCustomerRequest("Zhang San", PoolId: "east"));
/// await crm.ClaimAsync(lead.Id);
/// </code>
/// </example>
public sealed class CrmClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private string? _accessToken;
    private string? _refreshToken;
    private DateTimeOffset _expiresAt = DateTimeOffset.MaxValue;

    /// <summary>A client for the server at <paramref name="baseAddress"/>.</summary>
    public CrmClient(Uri baseAddress, HttpMessageHandler? handler = null)
        : this(handler is null ? new HttpClient() : new HttpClient(handler), ownsHttp: true)
    {
        _http.BaseAddress = baseAddress;
    }

    /// <summary>A client over an existing <see cref="HttpClient"/> (e.g. from IHttpClientFactory) whose BaseAddress is set.</summary>
    public CrmClient(HttpClient http)
        : this(http, ownsHttp: false)
    {
    }

    private CrmClient(HttpClient http, bool ownsHttp)
    {
        _http = http;
        _ownsHttp = ownsHttp;
    }

    /// <summary>The header that makes a command safe to retry (docs/reliability.md).</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>Sends a fresh <c>Idempotency-Key</c> with every command (POST, PUT, PATCH, DELETE), reused on its retries. On by default.</summary>
    public bool SendIdempotencyKeys { get; set; } = true;

    /// <summary>
    /// How often a request is retried after a 503 (the database is away), a 409 with Retry-After (its key is still
    /// running) or a lost connection (commands only when keyed). 0 turns retries off.
    /// </summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>The longest wait before a retry; a longer Retry-After is cut to it.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    public Uri BaseAddress => _http.BaseAddress ?? throw new InvalidOperationException("The HttpClient has no BaseAddress.");

    /// <summary>The bearer token of the current login, or null before <see cref="LoginAsync"/>.</summary>
    public string? AccessToken
    {
        get => _accessToken;
        set
        {
            _accessToken = value;
            _http.DefaultRequestHeaders.Authorization = value is null ? null : new AuthenticationHeaderValue("Bearer", value);
        }
    }

    /// <summary>The logged-in user's id (a rep's id is its user id), read from the token.</summary>
    public string? UserId => _accessToken is null ? null : TokenClaims.UserId(_accessToken);

    /// <summary>
    /// Signs in. Access tokens live minutes: the client refreshes them itself (shortly before expiry, and once on a 401)
    /// with the refresh token of this sign-in, so a long-running app stays signed in until <see cref="LogoutAsync"/>.
    /// </summary>
    public async Task<TokenResponse> LoginAsync(string userName, string password, CancellationToken cancellationToken = default)
    {
        var token = await SendAsync<TokenResponse>(HttpMethod.Post, "/api/auth/token", new TokenRequest(userName, password), cancellationToken);
        Use(token);
        return token;
    }

    /// <summary>
    /// Gets the next token pair with the refresh token (each works once; sent again when the connection failed, which the
    /// server takes as a retry within its window).
    /// </summary>
    public async Task<TokenResponse> RefreshAsync(CancellationToken cancellationToken = default)
    {
        var refresh = _refreshToken ?? throw new InvalidOperationException("Log in first.");
        var token = await SendWithRetriesAsync<TokenResponse>(HttpMethod.Post, RefreshPath, new RefreshRequest(refresh), null, cancellationToken);
        Use(token);
        return token;
    }

    /// <summary>Ends this sign-in's session on the server and forgets the tokens.</summary>
    public async Task LogoutAsync(CancellationToken cancellationToken = default)
    {
        if (_refreshToken is { } refresh)
        {
            using var response = await _http.PostAsync("/api/auth/logout", JsonContent.Create(new LogoutRequest(refresh), options: CrmJson.Options), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw await CrmApiException.FromAsync(response, cancellationToken);
            }
        }

        AccessToken = null;
        _refreshToken = null;
        _expiresAt = DateTimeOffset.MaxValue;
    }

    /// <summary>Changes the user's own password (also how a required change is made) and signs in with the new one.</summary>
    public async Task<TokenResponse> ChangePasswordAsync(string userName, string currentPassword, string newPassword, CancellationToken cancellationToken = default)
    {
        var token = await SendAsync<TokenResponse>(HttpMethod.Post, "/api/auth/password",
            new ChangePasswordRequest(userName, currentPassword, newPassword), cancellationToken);
        Use(token);
        return token;
    }

    public Task<CustomerDto> CreateCustomerAsync(CreateCustomerRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<CustomerDto>(HttpMethod.Post, "/api/customers", request, cancellationToken);

    public Task<CustomerDto> GetCustomerAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync<CustomerDto>(HttpMethod.Get, $"/api/customers/{id}", null, cancellationToken);

    /// <summary>Edits a customer's details: fields left null stay, an empty string clears one (<c>PATCH /api/customers/{id}</c>).</summary>
    public Task<CustomerDto> EditCustomerAsync(Guid id, EditCustomerRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<CustomerDto>(HttpMethod.Patch, $"/api/customers/{id}", request, cancellationToken);

    /// <summary>
    /// A page of a customer's history, newest first; pass the page's <see cref="TimelinePage.NextBefore"/> as
    /// <paramref name="before"/> for the next (older) one.
    /// </summary>
    public Task<TimelinePage> GetTimelineAsync(Guid id, string? before = null, int limit = 50, CancellationToken cancellationToken = default) =>
        SendAsync<TimelinePage>(HttpMethod.Get,
            $"/api/customers/{id}/timeline?limit={limit}{(before is null ? "" : $"&before={Uri.EscapeDataString(before)}")}", null, cancellationToken);

    public Task<Page<CustomerDto>> ListCustomersAsync(CustomerQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new CustomerQuery();
        var parameters = new List<string> { query.After is null ? $"page={query.Page}" : $"after={Uri.EscapeDataString(query.After)}", $"pageSize={query.PageSize}" };
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                parameters.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }

        Add("query", query.Query);
        Add("poolId", query.PoolId);
        Add("ownerId", query.OwnerId);
        Add("stage", query.Stage?.ToString());
        return SendAsync<Page<CustomerDto>>(HttpMethod.Get, "/api/customers?" + string.Join('&', parameters), null, cancellationToken);
    }

    /// <summary>
    /// Every customer of the query (its page size a batch), page after page by cursor: a walk that customers created,
    /// claimed or removed meanwhile neither shifts nor makes repeat, as page numbers would.
    /// </summary>
    public async IAsyncEnumerable<CustomerDto> ListAllCustomersAsync(CustomerQuery? query = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var next = (query ?? new CustomerQuery()) with { Page = 1, After = null };
        while (true)
        {
            var page = await ListCustomersAsync(next, cancellationToken);
            foreach (var customer in page.Items)
            {
                yield return customer;
            }

            if (page.NextAfter is null)
            {
                yield break;
            }

            next = next with { After = page.NextAfter };
        }
    }

    /// <summary>The private pool of a rep (default: the logged-in user).</summary>
    public Task<Page<CustomerDto>> ListRepCustomersAsync(string? repId = null, int page = 1, int pageSize = 50, CancellationToken cancellationToken = default) =>
        SendAsync<Page<CustomerDto>>(HttpMethod.Get,
            $"/api/reps/{Uri.EscapeDataString(repId ?? UserId ?? throw new InvalidOperationException("Log in first."))}/customers?page={page}&pageSize={pageSize}",
            null, cancellationToken);

    /// <summary>Claims a customer from its public pool for the logged-in rep; 409 codes: already-owned, capacity-full, claim-limit, reclaim-protected.</summary>
    public Task<CustomerDto> ClaimAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync<CustomerDto>(HttpMethod.Post, $"/api/customers/{id}/claim", null, cancellationToken);

    public Task<CustomerDto> ReleaseAsync(Guid id, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync<CustomerDto>(HttpMethod.Post, $"/api/customers/{id}/release", new ReleaseRequest(reason), cancellationToken);

    /// <summary>Hands a customer to a rep (managers and admins).</summary>
    public Task<CustomerDto> AssignAsync(Guid id, string repId, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync<CustomerDto>(HttpMethod.Post, $"/api/customers/{id}/assign", new AssignRequest(repId, reason), cancellationToken);

    public Task<TimelineEntryDto> AddFollowUpAsync(Guid id, FollowUpRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<TimelineEntryDto>(HttpMethod.Post, $"/api/customers/{id}/follow-ups", request, cancellationToken);

    public Task<CustomerDto> ChangeStageAsync(Guid id, Stage stage, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync<CustomerDto>(HttpMethod.Post, $"/api/customers/{id}/stage", new StageChangeRequest(stage, reason), cancellationToken);

    /// <summary>The plugins the server loaded, their state and fault counts (managers and admins).</summary>
    public Task<PluginListDto> ListPluginsAsync(CancellationToken cancellationToken = default) =>
        SendAsync<PluginListDto>(HttpMethod.Get, "/api/plugins", null, cancellationToken);

    /// <summary>Reloads the plugins directory without a restart (admins).</summary>
    public Task<PluginListDto> ReloadPluginsAsync(CancellationToken cancellationToken = default) =>
        SendAsync<PluginListDto>(HttpMethod.Post, "/api/plugins/reload", null, cancellationToken);

    /// <summary>The logged-in user's message center, newest first; <paramref name="unreadOnly"/> for the unread ones.</summary>
    public Task<Page<Notification>> ListNotificationsAsync(bool unreadOnly = false, int page = 1, int pageSize = 50, CancellationToken cancellationToken = default) =>
        SendAsync<Page<Notification>>(HttpMethod.Get, $"/api/notifications?unread={(unreadOnly ? "true" : "false")}&page={page}&pageSize={pageSize}", null, cancellationToken);

    /// <summary>How many notifications are unread, and the user's last id.</summary>
    public Task<UnreadCountDto> UnreadNotificationsAsync(CancellationToken cancellationToken = default) =>
        SendAsync<UnreadCountDto>(HttpMethod.Get, "/api/notifications/unread-count", null, cancellationToken);

    /// <summary>Marks the user's notifications up to <paramref name="upToId"/> read (all when null).</summary>
    public Task<MarkedReadDto> MarkNotificationsReadAsync(long? upToId = null, CancellationToken cancellationToken = default) =>
        SendAsync<MarkedReadDto>(HttpMethod.Post, "/api/notifications/read-all", new MarkAllReadRequest(upToId), cancellationToken);

    /// <summary>
    /// A live event stream with this client's login, not started yet: subscribe to its events, then call
    /// <see cref="CrmEventStream.StartAsync(long, CancellationToken)"/> with the last seen id kept from last time to
    /// receive what the user missed first (once, in order), then the live events.
    /// </summary>
    public CrmEventStream CreateEventStream() => new(BaseAddress, () => Task.FromResult(AccessToken));

    /// <summary>Opens the live event stream (<c>/hubs/reps</c>) with this client's login; subscribe to its events.</summary>
    public async Task<CrmEventStream> ConnectEventsAsync(CancellationToken cancellationToken = default)
    {
        var stream = new CrmEventStream(BaseAddress, async () =>
        {
            await EnsureFreshAsync(false, CancellationToken.None);
            return AccessToken;
        });
        try
        {
            await stream.StartAsync(cancellationToken);
            return stream;
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private void Use(TokenResponse token)
    {
        AccessToken = token.AccessToken;
        _refreshToken = token.RefreshToken;
        _expiresAt = token.ExpiresAt;
    }

    /// <summary>Refreshes when the access token runs out within 30 s, or when the server refused it (<paramref name="refused"/>).</summary>
    private async Task<bool> EnsureFreshAsync(bool refused, CancellationToken cancellationToken)
    {
        if (_refreshToken is null || (!refused && _expiresAt - DateTimeOffset.UtcNow > TimeSpan.FromSeconds(30)))
        {
            return false;
        }

        var before = _accessToken;
        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            if (_accessToken != before)
            {
                return true; // another call refreshed meanwhile
            }

            await RefreshAsync(cancellationToken);
            return true;
        }
        finally
        {
            _refreshing.Release();
        }
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        // One key for the command and all its retries: the server runs it at most once and replays the first answer.
        var key = method != HttpMethod.Get && SendIdempotencyKeys ? Guid.NewGuid().ToString("N") : null;
        await EnsureFreshAsync(false, cancellationToken);
        try
        {
            return await SendWithRetriesAsync<T>(method, path, body, key, cancellationToken);
        }
        catch (CrmApiException ex) when ((int)ex.Status == 401 && _refreshToken is not null && !path.StartsWith("/api/auth/", StringComparison.Ordinal))
        {
            // Expired or revoked meanwhile: one refresh and one retry; a refused refresh throws its own 401.
            await EnsureFreshAsync(true, cancellationToken);
            return await SendWithRetriesAsync<T>(method, path, body, key, cancellationToken);
        }
    }

    private const string RefreshPath = "/api/auth/refresh";

    private async Task<T> SendWithRetriesAsync<T>(HttpMethod method, string path, object? body, string? key, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null)
            {
                request.Content = JsonContent.Create(body, body.GetType(), options: CrmJson.Options);
            }

            if (key is not null)
            {
                request.Headers.Add(IdempotencyKeyHeader, key);
            }

            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException) when (attempt < MaxRetries && (key is not null || method == HttpMethod.Get || path == RefreshPath))
            {
                // The connection failed: the command may or may not have run; only a keyed retry is safe, and a refresh (the
                // server takes the same refresh token again within its retry window, 30 s by default, as a lost answer).
                await Task.Delay(RetryDelay(null, attempt), cancellationToken);
                continue;
            }

            using (response)
            {
                if (attempt < MaxRetries && IsRetryable(response))
                {
                    await Task.Delay(RetryDelay(response.Headers.RetryAfter?.Delta, attempt), cancellationToken);
                    continue;
                }

                if (!response.IsSuccessStatusCode)
                {
                    throw await CrmApiException.FromAsync(response, cancellationToken);
                }

                return await response.Content.ReadFromJsonAsync<T>(CrmJson.Options, cancellationToken)
                    ?? throw new JsonException($"{method} {path} answered an empty body.");
            }
        }
    }

    /// <summary>503 (the database is away; nothing was changed) and 409 with Retry-After (the same key is still running).</summary>
    private static bool IsRetryable(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.ServiceUnavailable
        || (response.StatusCode == HttpStatusCode.Conflict && response.Headers.RetryAfter is not null);

    private TimeSpan RetryDelay(TimeSpan? retryAfter, int attempt)
    {
        var delay = retryAfter ?? TimeSpan.FromSeconds(attempt + 1);
        return delay < MaxRetryDelay ? delay : MaxRetryDelay;
    }
}
