using System.Text.Json;
using System.Text.Json.Serialization;
using Crm.Grains.Storage;
using Crm.Server.Api.Admin;
using Crm.Server.Api.Assignment;
using Crm.Server.Api.Audit;
using Crm.Server.Api.Exports;
using Crm.Server.Api.Regions;
using Crm.Server.Api.Auth;
using Crm.Server.Api.Customers;
using Crm.Server.Api.Dedup;
using Crm.Server.Api.Notes;
using Crm.Server.Api.OrgUnits;
using Crm.Server.Api.Plugins;
using Crm.Server.Api.Pools;
using Crm.Server.Api.Reps;
using Crm.Server.Api.Users;
using Crm.Server.Auth;
using Crm.Server.Diagnostics;
using Crm.Server.Org;
using Crm.Server.Hubs;
using Crm.Server.Permissions;
using Crm.Server.Plugins;
using Crm.Server.Storage;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.IdentityModel.Tokens;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
builder.Logging.AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.TimestampFormat = "HH:mm:ss.fff ";
});

// Options, validated at start: a bad setting stops the server with a message that names it.
builder.Services.AddOptions<StorageOptions>().Bind(builder.Configuration.GetSection(StorageOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<CrmClusterOptions>().Bind(builder.Configuration.GetSection(CrmClusterOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<AuthOptions>().Bind(builder.Configuration.GetSection(AuthOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<Crm.Grains.Dedup.DedupOptions>().Bind(builder.Configuration.GetSection(Crm.Grains.Dedup.DedupOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<AdminOptions>().Bind(builder.Configuration.GetSection(AdminOptions.Section));

// Storage comes first: the schema must exist before the silo reads its tables.
var storage = builder.Configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
var cluster = builder.Configuration.GetSection(CrmClusterOptions.Section).Get<CrmClusterOptions>() ?? new CrmClusterOptions();
StartupChecks.Validate(storage, cluster);
var database = new CrmDatabase(storage.Provider, storage.EffectiveConnectionString, storage.SqliteDurability);
SchemaInstaller.Apply(database, storage.DataDirectory);

builder.UseOrleans(silo => silo.AddCrmSilo(database, cluster, grainStorage: storage.GrainStorage));

builder.Services.AddCrmPlugins(builder.Configuration);
builder.Services.AddSingleton<UserDirectory>();
builder.Services.AddSingleton<OrgUnitDirectory>();
// Org tree and data permissions (docs/permissions.md).
builder.Services.AddSingleton<OrgTreeNotifier>();
builder.Services.AddSingleton<RegionDirectory>();
builder.Services.AddSingleton<RepHandover>();
builder.Services.AddSingleton<AuditLog>();
builder.Services.AddSingleton<CallerClaims>();
builder.Services.AddSingleton<CustomerQueries>();
builder.Services.AddSingleton<CustomerImporter>();
builder.Services.AddSingleton<PoolQueries>();
builder.Services.AddSingleton<StatusPoolQueries>();
builder.Services.AddNotes();
builder.Services.AddSingleton<PushRelay>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<PushRelay>());

// Auth: JWT bearer; SignalR clients send the token as access_token in the query string.
var signingKey = TokenService.KeyFrom(SigningKeyStore.Resolve(database, builder.Configuration[$"{AuthOptions.Section}:SigningKey"]));
builder.Services.AddSingleton(signingKey);
builder.Services.AddSingleton<TokenService>();
builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
{
    o.MapInboundClaims = false;
    o.TokenValidationParameters = new TokenValidationParameters
    {
        ValidIssuer = AuthOptions.Issuer,
        ValidAudience = AuthOptions.Issuer,
        IssuerSigningKey = signingKey,
        NameClaimType = System.Security.Claims.ClaimTypes.Name,
        RoleClaimType = System.Security.Claims.ClaimTypes.Role,
    };
    o.Events = new JwtBearerEvents
    {
        OnMessageReceived = context =>
        {
            if (context.Request.Path.StartsWithSegments(RepHub.Path) && context.Request.Query["access_token"] is { Count: > 0 } token)
            {
                context.Token = token;
            }

            return Task.CompletedTask;
        },
        // The user's current role and unit, not the ones the token was issued with (docs/permissions.md).
        OnTokenValidated = context => context.HttpContext.RequestServices.GetRequiredService<CallerClaims>().RefreshAsync(context),
    };
});
builder.Services.AddCrmPolicies();

builder.Services.AddProblemDetails();
builder.Services.Configure<JsonOptions>(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
builder.Services.AddSignalR().AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
builder.Services.AddOpenApi();
builder.Services.AddHealthChecks()
    .AddCheck<DatabaseHealthCheck>("database")
    .AddCheck<SiloHealthCheck>("silo");

var app = builder.Build();
app.Services.LoadCrmPlugins();

await AdminBootstrap.EnsureAdminAsync(app.Services.GetRequiredService<UserDirectory>(),
    builder.Configuration[$"{AdminOptions.Section}:Password"], storage.DataDirectory, app.Logger);

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRequestLogging();
app.UseAuthentication();
app.UseAuthorization();

app.MapHealthChecks("/health").AllowAnonymous();
app.MapOpenApi().AllowAnonymous();
app.MapScalarApiReference("/docs").AllowAnonymous();
app.MapGet("/", () => Results.Redirect("/docs")).ExcludeFromDescription();
app.MapAuthApi();
app.MapOrgUnitsApi();
app.MapUsersApi();
app.MapPoolsApi();
app.MapCustomersApi();
app.MapDedupApi();
app.MapRepsApi();
app.MapPoolBulkApi();
app.MapStatusPoolsApi();
app.MapNoteTemplatesApi();
app.MapCustomerNotesApi();
app.MapNoteRemindersApi();
app.MapAdminApi();
app.MapPoolMembersApi();
app.MapRegionsApi();
app.MapAuditApi();
app.MapExportsApi();
app.MapPluginsApi();
app.MapAssignmentApi();
app.MapHub<RepHub>(RepHub.Path);

app.Run();

/// <summary>The server's entry point; public so that tests can host it.</summary>
public partial class Program;
