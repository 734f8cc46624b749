using System.Text.Json;
using Crm.Server.Composition;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Crm.Server.Health;

/// <summary>
/// Liveness and readiness, as ASP.NET Core's health checks split them: <c>/health/live</c> is 200 while the process
/// runs; <c>/health/ready</c> (and its alias <c>/health</c>) is 503 while the database is unavailable, the silo is
/// not up, or the server drains for a graceful stop. Neither queries the database: readiness reads the background probe's last result.
/// </summary>
public static class HealthEndpoints
{
    private const string Ready = "ready";

    public static WebApplicationBuilder AddCrmHealth(this WebApplicationBuilder builder)
    {
        builder.AddCrmOptions<HealthOptions>(HealthOptions.Section);
        builder.Services.AddSingleton<DatabaseProbe>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DatabaseProbe>());
        builder.Services.AddSingleton<ShutdownDrain>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ShutdownDrain>());
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseReadyCheck>("database", tags: [Ready])
            .AddCheck<SiloHealthCheck>("silo", tags: [Ready])
            .AddCheck<ShutdownReadyCheck>("shutdown", tags: [Ready]);
        return builder;
    }

    public static WebApplication MapCrmHealth(this WebApplication app)
    {
        var ready = new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready), ResponseWriter = WriteJsonAsync };
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteJsonAsync }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", ready).AllowAnonymous();
        app.MapHealthChecks("/health", ready).AllowAnonymous();
        return app;
    }

    /// <summary><c>{ "status": "Healthy", "checks": { "database": { "status", "description" }, ... } }</c>.</summary>
    private static Task WriteJsonAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description });
        return context.Response.WriteAsync(JsonSerializer.Serialize(new { status = report.Status.ToString(), checks }));
    }
}
