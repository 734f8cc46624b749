using System.Net;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Api;

/// <summary>The Orleans Dashboard at /dashboard: admins open it through a session cookie; nobody else gets in.</summary>
[Collection(ServerCollection.Name)]
public sealed class OpsDashboardTests(ServerFixture fixture)
{
    [Fact]
    public async Task An_admin_opens_the_dashboard_with_its_session_cookie_and_sees_the_silos_grains()
    {
        var admin = await fixture.Server.Api().LoginAsAdminAsync();

        var cookie = await SessionCookieAsync(admin.Token!);
        Assert.NotNull(cookie);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/dashboard", cookie, StringComparison.OrdinalIgnoreCase);

        var page = await GetAsync("/dashboard/", cookie.Split(';')[0]);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<html", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        var grains = await GetAsync("/dashboard/DashboardCounters", cookie.Split(';')[0]);
        Assert.Equal(HttpStatusCode.OK, grains.StatusCode);
        Assert.Contains("totalActiveHostCount", await grains.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);

        // A silo's own page takes the address the counters give; one that does not parse is the caller's mistake: a 400, not a 500.
        using var counters = System.Text.Json.JsonDocument.Parse(await grains.Content.ReadAsStringAsync());
        var silo = counters.RootElement.GetProperty("hosts")[0].GetProperty("siloAddress").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/dashboard/SiloStats/{Uri.EscapeDataString(silo)}", cookie.Split(';')[0])).StatusCode);
        foreach (var bad in new[] { "/dashboard/HistoricalStats/not-a-silo", "/dashboard/SiloStats/", "/dashboard/SiloCounters/a/b" })
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync(bad, cookie.Split(';')[0])).StatusCode);
        }
    }

    [Fact]
    public async Task Managers_reps_and_anonymous_callers_do_not_get_in()
    {
        var world = await fixture.SharedWorldAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/dashboard/", cookie: null)).StatusCode);
        foreach (var user in new[] { world.Manager, world.RepA })
        {
            Assert.Null(await SessionCookieAsync(user.Token!));
            Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/dashboard/", $"crm_dashboard={user.Token}")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/dashboard/DashboardCounters", $"crm_dashboard={user.Token}")).StatusCode);
        }

        // The cookie is read under /dashboard only: elsewhere the API still wants the bearer header.
        var admin = await fixture.Server.Api().LoginAsAdminAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/api/audit", $"crm_dashboard={admin.Token}")).StatusCode);
    }

    /// <summary>The Set-Cookie of POST /api/admin/dashboard-session, or null when refused.</summary>
    private async Task<string?> SessionCookieAsync(string token)
    {
        using var http = new HttpClient { BaseAddress = fixture.Server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/admin/dashboard-session");
        request.Headers.Authorization = new("Bearer", token);
        using var response = await http.SendAsync(request);
        return response.IsSuccessStatusCode && response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies.Single() : null;
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? cookie)
    {
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = fixture.Server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
