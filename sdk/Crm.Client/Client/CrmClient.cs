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
    private string? _accessToken;

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

    public async Task<TokenResponse> LoginAsync(string userName, string password, CancellationToken cancellationToken = default)
    {
        var token = await SendAsync<TokenResponse>(HttpMethod.Post, "/api/auth/token", new TokenRequest(userName, password), cancellationToken);
        AccessToken = token.AccessToken;
        return token;
    }

    /// <summary>Changes the user's own password (also how a required change is made) and signs in with the new one.</summary>
    public async Task<TokenResponse> ChangePasswordAsync(string userName, string currentPassword, string newPassword, CancellationToken cancellationToken = default)
    {
        var token = await SendAsync<TokenResponse>(HttpMethod.Post, "/api/auth/password",
            new ChangePasswordRequest(userName, currentPassword, newPassword), cancellationToken);
        AccessToken = token.AccessToken;
        return token;
    }

    public Task<CustomerDto> CreateCustomerAsync(CreateCustomerRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<CustomerDto>(HttpMethod.Post, "/api/customers", request, cancellationToken);

    public Task<CustomerDto> GetCustomerAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync<CustomerDto>(HttpMethod.Get, $"/api/customers/{id}", null, cancellationToken);

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
        var parameters = new List<string> { $"page={query.Page}", $"pageSize={query.PageSize}" };
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
        var stream = new CrmEventStream(BaseAddress, () => Task.FromResult(AccessToken));
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

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: CrmJson.Options);
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await CrmApiException.FromAsync(response, cancellationToken);
        }

        return await response.Content.ReadFromJsonAsync<T>(CrmJson.Options, cancellationToken)
            ?? throw new JsonException($"{method} {path} answered an empty body.");
    }
}
