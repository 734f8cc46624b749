using Crm.Server.Auth;
using Orleans.Dashboard;
using Orleans.Runtime;

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

        // The dashboard's silo pages parse a silo address out of their URL and answer a 500 for one that does not parse:
        // the caller's mistake, checked here first.
        app.UseWhen(context => context.Request.Path.StartsWithSegments(Path), branch => branch.Use(async (context, next) =>
        {
            if (SiloAddressOf(context.Request.Path) is { } address && !IsSiloAddress(address))
            {
                await TypedResults.Problem($"'{address}' is not a silo address.", statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(context);
                return;
            }

            await next(context);
        }));
        app.MapOrleansDashboard(routePrefix: Path).RequireAuthorization(Policies.Admin).ExcludeFromDescription();
        app.MapPost("/api/admin/dashboard-session", OpenSession).RequireAuthorization(Policies.Admin).WithTags("Admin");
        return app;
    }

    private static readonly string[] SiloPages = ["HistoricalStats", "SiloProperties", "SiloMetadata", "SiloStats", "SiloCounters"];

    /// <summary>The silo address a dashboard silo page's URL carries (<c>/dashboard/SiloStats/{address}</c>), or null for other pages.</summary>
    private static string? SiloAddressOf(PathString path)
    {
        // The pages' routes are catch-alls: everything after the page's name is the address, slashes and nothing included.
        var segments = path.Value!.TrimStart('/').Split('/', 3);
        return segments.Length >= 2 && SiloPages.Contains(segments[1], StringComparer.OrdinalIgnoreCase)
            ? Uri.UnescapeDataString(segments.Length == 3 ? segments[2] : "")
            : null;
    }

    private static bool IsSiloAddress(string address)
    {
        try
        {
            return SiloAddress.FromParsableString(address) is not null;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or IndexOutOfRangeException or OverflowException)
        {
            return false;
        }
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
