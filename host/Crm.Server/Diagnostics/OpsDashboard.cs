using Crm.Server.Auth;
using Orleans.Dashboard;

namespace Crm.Server.Diagnostics;

/// <summary>
/// The Orleans Dashboard (grain counts, calls, latency per silo) at <c>/dashboard</c>, for admins only. A browser
/// navigating there sends no bearer header, so an admin first calls <c>POST /api/admin/dashboard-session</c> with its
/// token: the answer sets that same token as an HttpOnly cookie scoped to <c>/dashboard</c>, which the bearer handler
/// reads there only (<see cref="TokenFromCookie"/>). Off with <c>Crm:Dashboard:Enabled=false</c>.
/// </summary>
public static class OpsDashboard
{
    public const string Path = "/dashboard";
    public const string Cookie = "crm_dashboard";

    public static bool Enabled(IConfiguration configuration) => configuration.GetValue("Crm:Dashboard:Enabled", true);

    public static void AddTo(ISiloBuilder silo, IConfiguration configuration)
    {
        if (Enabled(configuration))
        {
            // No live log streaming: logs may carry customer data, and the dashboard is for load, not support.
            silo.AddDashboard(o => o.HideTrace = true);
        }
    }

    public static WebApplication MapCrmDashboard(this WebApplication app)
    {
        if (!Enabled(app.Configuration))
        {
            return app;
        }

        app.MapOrleansDashboard(routePrefix: Path).RequireAuthorization(Policies.Admin).ExcludeFromDescription();
        app.MapPost("/api/admin/dashboard-session", OpenSession).RequireAuthorization(Policies.Admin).WithTags("Admin");
        return app;
    }

    /// <summary>The bearer token of a browser request under <c>/dashboard</c>: the session cookie, if any.</summary>
    public static string? TokenFromCookie(HttpRequest request) =>
        request.Path.StartsWithSegments(Path) && request.Cookies.TryGetValue(Cookie, out var token) && token.Length < 4096 ? token : null;

    private static IResult OpenSession(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem("Send the token in the Authorization header.", statusCode: 400);
        }

        var expires = http.User.FindFirst("exp")?.Value is { } exp && long.TryParse(exp, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : (DateTimeOffset?)null;
        http.Response.Cookies.Append(Cookie, header["Bearer ".Length..].Trim(), new CookieOptions
        {
            Path = Path,
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            Expires = expires,
        });
        return TypedResults.Ok(new { url = Path, expiresAt = expires });
    }
}
