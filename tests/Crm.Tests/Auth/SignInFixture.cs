using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Auth;

/// <summary>
/// A server with tight sign-in limits that trusts 127.0.0.1 as a proxy, so each test signs in "from" its own
/// client address (X-Forwarded-For) and the per-address windows of different tests do not mix. It starts with no
/// configured admin password: the fixture goes through the generated password's first sign-in and records what it
/// saw in <see cref="FirstAdmin"/>.
/// </summary>
public sealed class SignInFixture : IAsyncLifetime
{
    public const int PerAddress = 8;
    public const int PerUserName = 6;
    public const int LockoutAfter = 3;
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromMinutes(5);

    public const string UserPassword = "rep-Passw0rd!";

    private readonly TempDirectory _data = new("crm-signin");
    public const string AdminPassword = "the-Operator-chose-this-1";

    private readonly SemaphoreSlim _setup = new(1, 1);
    private (CrmApi Admin, string UnitId)? _admin;

    /// <summary>The first start's admin password file and first sign-in, as the fixture found them.</summary>
    public FirstAdminStart FirstAdmin { get; private set; } = null!;

    public ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await ServerProcess.StartAsync(_data.Path, Settings);
        var file = Path.Combine(_data.Path, "admin-password.txt");
        var mode = OperatingSystem.IsWindows() ? UnixFileMode.None : File.GetUnixFileMode(file);
        var generated = (await File.ReadAllTextAsync(file)).Trim();
        var api = Server.Api();
        var first = await api.SendAsync<TokenResponse>(HttpMethod.Post, "/api/auth/token", new TokenRequest("admin", generated));
        var change = await api.SendAsync<TokenResponse>(HttpMethod.Post, "/api/auth/password", new ChangePasswordRequest("admin", generated, AdminPassword));
        var fileAfter = File.Exists(file);
        var oldPassword = await api.SendAsync<TokenResponse>(HttpMethod.Post, "/api/auth/token", new TokenRequest("admin", generated));
        FirstAdmin = new FirstAdminStart(mode, first, change, fileAfter, oldPassword);
    }

    private static Dictionary<string, string> Settings => new()
    {
        ["Crm__Admin__Password"] = "",
        ["Crm__Auth__Login__PerAddressPerMinute"] = PerAddress.ToString(),
        ["Crm__Auth__Login__PerUserNamePerMinute"] = PerUserName.ToString(),
        ["Crm__Auth__Login__LockoutAfterFailures"] = LockoutAfter.ToString(),
        ["Crm__Auth__Login__LockoutBaseSeconds"] = "30",
        ["Crm__Auth__Login__TrustedProxies__0"] = "127.0.0.1",
        ["Crm__Auth__AccessTokenLifetime"] = AccessTokenLifetime.ToString(),
    };

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _data.Dispose();
    }

    /// <summary>The admin, signed in once for all tests (its sign-ins count against the per-name limit too).</summary>
    public async Task<(CrmApi Admin, string UnitId)> AdminAsync()
    {
        await _setup.WaitAsync();
        try
        {
            if (_admin is null)
            {
                var admin = await Server.Api().LoginAsync("admin", AdminPassword);
                var unit = (await admin.CreateOrgUnitAsync("Sign-in tests")).EnsureStatus(HttpStatusCode.Created).Value!;
                _admin = (admin, unit.Id);
            }

            return _admin.Value;
        }
        finally
        {
            _setup.Release();
        }
    }

    /// <summary>A new rep with <see cref="UserPassword"/>; returns its user name and id.</summary>
    public async Task<(string UserName, string Id)> NewUserAsync()
    {
        var (admin, unitId) = await AdminAsync();
        var name = $"u-{Guid.NewGuid():N}"[..14];
        var user = (await admin.CreateUserAsync(name, Role.Rep, unitId, UserPassword)).EnsureStatus(HttpStatusCode.Created).Value!;
        return (name, user.Id);
    }

    /// <summary>A client address no other test uses.</summary>
    public static string NewAddress() => $"10.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}";

    /// <summary>An anonymous POST to an auth route as if from <paramref name="address"/>, timed.</summary>
    public async Task<Attempt> PostAsync(string path, object body, string address)
    {
        using var http = new HttpClient { BaseAddress = Server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, body.GetType(), options: CrmApi.Json) };
        request.Headers.Add("X-Forwarded-For", address);
        var watch = Stopwatch.StartNew();
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        watch.Stop();
        var json = text.TrimStart().StartsWith('{') ? JsonDocument.Parse(text).RootElement.Clone() : (JsonElement?)null;
        return new Attempt(response.StatusCode, response.Headers.RetryAfter?.Delta, json, watch.Elapsed);
    }

    public Task<Attempt> SignInAsync(string userName, string password, string address) =>
        PostAsync("/api/auth/token", new TokenRequest(userName, password), address);
}

public sealed record FirstAdminStart(UnixFileMode FileMode, ApiResponse<TokenResponse> FirstSignIn, ApiResponse<TokenResponse> Change,
    bool FileExistsAfterChange, ApiResponse<TokenResponse> OldPasswordAfterChange);

public sealed record Attempt(HttpStatusCode Status, TimeSpan? RetryAfter, JsonElement? Json, TimeSpan Elapsed)
{
    public string? Code => Json is { } j && j.TryGetProperty("code", out var code) ? code.GetString() : null;

    public string? AccessToken => Json is { } j && j.TryGetProperty("accessToken", out var token) ? token.GetString() : null;

    public string? RefreshToken => Json is { } j && j.TryGetProperty("refreshToken", out var token) ? token.GetString() : null;
}

[CollectionDefinition(Name)]
public sealed class SignInCollection : ICollectionFixture<SignInFixture>
{
    public const string Name = "server with tight sign-in limits";
}
