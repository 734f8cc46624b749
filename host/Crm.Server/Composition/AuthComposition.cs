using System.Security.Claims;
using Crm.Grains.Storage;
using Crm.Server.Auth;
using Crm.Server.Diagnostics;
using Crm.Server.Hubs;
using Crm.Server.Org;
using Crm.Server.Permissions;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Crm.Server.Composition;

public static class AuthComposition
{
    /// <summary>
    /// JWT bearer with the configured signing keys or the key ring file (<see cref="SigningKeyStore"/>), short-lived access
    /// tokens and rotating refresh tokens; SignalR clients send the token as access_token in the query string. Each request carries the user's current
    /// role and unit, not the ones the token was issued with (docs/permissions.md).
    /// </summary>
    public static WebApplicationBuilder AddCrmAuth(this WebApplicationBuilder builder, CrmDatabase database)
    {
        builder.AddCrmOptions<AuthOptions>(AuthOptions.Section);
        builder.AddCrmOptions<LoginOptions>(LoginOptions.Section);
        builder.AddCrmOptions<LookupOptions>(LookupOptions.Section);
        builder.Services.AddSingleton<LoginThrottle>();
        builder.Services.AddSingleton<PasswordStore>();
        builder.Services.AddSingleton<SignIn>();
        builder.Services.AddSingleton(sp => new AdminPasswordFile(StorageComposition.StorageOptionsOf(builder.Configuration).DataDirectory,
            sp.GetRequiredService<ILogger<AdminPasswordFile>>()));
        builder.Services.AddSignInRateLimits();
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            // Only a configured proxy may say who the client is; otherwise the socket's address counts.
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            o.KnownIPNetworks.Clear();
            o.KnownProxies.Clear();
            foreach (var proxy in builder.Configuration.GetSection($"{LoginOptions.Section}:TrustedProxies").Get<string[]>() ?? [])
            {
                o.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
            }
        });
        builder.Services.AddOptions<AdminOptions>().Bind(builder.Configuration.GetSection(AdminOptions.Section));

        builder.Services.AddSingleton(sp => SigningKeyStore.Resolve(database, sp.GetRequiredService<IOptions<AuthOptions>>().Value,
            StorageComposition.StorageOptionsOf(builder.Configuration).DataDirectory,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SigningKeyStore).FullName!)));
        builder.Services.AddSingleton<RefreshTokens>();
        builder.Services.AddSingleton<TokenService>();
        builder.Services.AddSingleton<HubSessions>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<HubSessions>());
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.TokenHandlers.Clear();
            o.TokenHandlers.Add(new CachedTokenHandler());
            o.Events = new JwtBearerEvents
            {
                OnMessageReceived = ReadHubToken,
                OnTokenValidated = context => context.HttpContext.RequestServices.GetRequiredService<CallerClaims>().RefreshAsync(context),
            };
        });
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<SigningKeyRing, IOptions<AuthOptions>>(
            (o, keys, auth) => o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = AuthOptions.Issuer,
                ValidAudience = AuthOptions.Issuer,
                IssuerSigningKeys = keys.All,
                ClockSkew = auth.Value.ClockSkew,
                NameClaimType = ClaimTypes.Name,
                RoleClaimType = ClaimTypes.Role,
            });
        builder.Services.AddCrmPolicies();
        return builder;
    }

    /// <summary>
    /// Folds user-name keys stored by an older version (<see cref="UserDirectory.FoldStoredNameKeysAsync"/>), and creates
    /// user <c>admin</c> on the first start, with the configured password or a generated one written to the data directory.
    /// </summary>
    public static async Task EnsureCrmAdminAsync(this WebApplication app)
    {
        var users = app.Services.GetRequiredService<UserDirectory>();
        await users.FoldStoredNameKeysAsync(app.Logger);
        await AdminBootstrap.EnsureAdminAsync(users, app.Services.GetRequiredService<PasswordStore>(),
            app.Services.GetRequiredService<AdminPasswordFile>(), app.Configuration[$"{AdminOptions.Section}:Password"], app.Logger);
    }

    private static Task ReadHubToken(MessageReceivedContext context)
    {
        if (context.Request.Path.StartsWithSegments(RepHub.Path) && context.Request.Query["access_token"] is { Count: > 0 } token)
        {
            context.Token = token;
        }
        else if (OpsDashboard.TokenFromCookie(context.Request) is { } cookie)
        {
            context.Token = cookie;
        }

        return Task.CompletedTask;
    }
}
