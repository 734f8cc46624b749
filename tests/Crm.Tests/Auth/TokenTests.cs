using System.Net;
using System.Net.Http.Headers;
using Crm.Client;

namespace Crm.Tests.Auth;

/// <summary>Short access tokens, rotating refresh tokens, logout and the ends of sessions (docs/security.md V3).</summary>
[Collection(SignInCollection.Name)]
public sealed class TokenTests(SignInFixture fixture)
{
    [Fact]
    public async Task A_sign_in_gives_a_short_access_token_and_a_refresh_token_that_rotates()
    {
        var (user, id) = await fixture.NewUserAsync();
        var before = DateTimeOffset.UtcNow;

        var signIn = await fixture.SignInAsync(user, SignInFixture.UserPassword, SignInFixture.NewAddress());
        var refreshed = await RefreshAsync(signIn.RefreshToken!);
        var works = await GetOwnCustomersAsync(refreshed.AccessToken!, id);

        Assert.Equal(HttpStatusCode.OK, signIn.Status);
        var expires = signIn.Json!.Value.GetProperty("expiresAt").GetDateTimeOffset();
        Assert.InRange(expires, before + SignInFixture.AccessTokenLifetime - TimeSpan.FromMinutes(1), before + SignInFixture.AccessTokenLifetime + TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.NotEqual(signIn.RefreshToken, refreshed.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, works);
    }

    [Fact]
    public async Task A_refresh_token_used_twice_ends_its_whole_family_and_is_audited()
    {
        var (user, id) = await fixture.NewUserAsync();
        var signIn = await fixture.SignInAsync(user, SignInFixture.UserPassword, SignInFixture.NewAddress());
        var other = await fixture.SignInAsync(user, SignInFixture.UserPassword, SignInFixture.NewAddress()); // another device

        var first = await RefreshAsync(signIn.RefreshToken!);
        var second = await RefreshAsync(first.RefreshToken!); // the user's app went on with the pair it got
        var replayed = await RefreshAsync(signIn.RefreshToken!); // a stolen copy of the first token: not a retry, the session went on
        var legitimateNext = await RefreshAsync(second.RefreshToken!);
        var otherDevice = await RefreshAsync(other.RefreshToken!);
        var (admin, _) = await fixture.AdminAsync();
        var audit = (await admin.GetAsync($"/api/audit?action=auth.refresh-reused&actorId={id}")).EnsureStatus(HttpStatusCode.OK).Value;

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, replayed.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, legitimateNext.Status);
        Assert.Equal(HttpStatusCode.OK, otherDevice.Status);
        Assert.Equal(1, audit.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Logout_ends_the_session_and_a_password_change_ends_every_session()
    {
        var (user, _) = await fixture.NewUserAsync();
        var a = await fixture.SignInAsync(user, SignInFixture.UserPassword, SignInFixture.NewAddress());
        var b = await fixture.SignInAsync(user, SignInFixture.UserPassword, SignInFixture.NewAddress());
        var c = await fixture.SignInAsync(user, SignInFixture.UserPassword, SignInFixture.NewAddress());

        var logout = await fixture.PostAsync("/api/auth/logout", new LogoutRequest(a.RefreshToken!), SignInFixture.NewAddress());
        var afterLogout = await RefreshAsync(a.RefreshToken!);
        var stillIn = await RefreshAsync(b.RefreshToken!);
        var change = await fixture.PostAsync("/api/auth/password", new ChangePasswordRequest(user, SignInFixture.UserPassword, "after-the-Change-2"),
            SignInFixture.NewAddress());
        var afterChange = await RefreshAsync(c.RefreshToken!);
        var changedSession = await RefreshAsync(change.RefreshToken!);

        Assert.Equal(HttpStatusCode.NoContent, logout.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, afterLogout.Status);
        Assert.Equal(HttpStatusCode.OK, stillIn.Status);
        Assert.Equal(HttpStatusCode.OK, change.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, afterChange.Status);
        Assert.Equal(HttpStatusCode.OK, changedSession.Status);
    }

    [Fact]
    public async Task An_admin_reset_ends_the_users_access_tokens_at_once()
    {
        var (user, id) = await fixture.NewUserAsync();
        var signIn = await fixture.SignInAsync(user, SignInFixture.UserPassword, SignInFixture.NewAddress());
        var before = await GetOwnCustomersAsync(signIn.AccessToken!, id);
        var (admin, _) = await fixture.AdminAsync();

        (await admin.SendAsync<object>(HttpMethod.Post, $"/api/users/{id}/password", new ResetPasswordRequest("Reset-by-the-boss-1")))
            .EnsureStatus(HttpStatusCode.NoContent);
        var after = await GetOwnCustomersAsync(signIn.AccessToken!, id);

        Assert.Equal(HttpStatusCode.OK, before);
        Assert.Equal(HttpStatusCode.Unauthorized, after);
    }

    [Fact]
    public async Task A_password_change_ends_the_access_tokens_of_the_other_sessions_and_the_new_one_works()
    {
        var (user, id) = await fixture.NewUserAsync();
        var old = await fixture.SignInAsync(user, SignInFixture.UserPassword, SignInFixture.NewAddress());

        var change = await fixture.PostAsync("/api/auth/password", new ChangePasswordRequest(user, SignInFixture.UserPassword, "changed-My-mind-7"),
            SignInFixture.NewAddress());
        var oldAccess = await GetOwnCustomersAsync(old.AccessToken!, id);
        var newAccess = await GetOwnCustomersAsync(change.AccessToken!, id);

        Assert.Equal(HttpStatusCode.OK, change.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, oldAccess);
        Assert.Equal(HttpStatusCode.OK, newAccess);
    }

    [Fact]
    public async Task A_reused_refresh_token_ends_the_users_access_tokens_and_other_sessions_refresh_theirs()
    {
        var (user, id) = await fixture.NewUserAsync();
        var signIn = await fixture.SignInAsync(user, SignInFixture.UserPassword, SignInFixture.NewAddress());
        var other = await fixture.SignInAsync(user, SignInFixture.UserPassword, SignInFixture.NewAddress()); // another device
        var first = await RefreshAsync(signIn.RefreshToken!);
        var second = await RefreshAsync(first.RefreshToken!); // the session went on

        var replayed = await RefreshAsync(signIn.RefreshToken!); // so the first token again is a stolen copy
        var signInAccess = await GetOwnCustomersAsync(signIn.AccessToken!, id);
        var firstAccess = await GetOwnCustomersAsync(first.AccessToken!, id);
        var secondAccess = await GetOwnCustomersAsync(second.AccessToken!, id);
        var otherAccess = await GetOwnCustomersAsync(other.AccessToken!, id);
        var otherRefreshed = await RefreshAsync(other.RefreshToken!);
        var otherRefreshedAccess = await GetOwnCustomersAsync(otherRefreshed.AccessToken!, id);

        Assert.Equal(HttpStatusCode.Unauthorized, replayed.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, signInAccess);
        Assert.Equal(HttpStatusCode.Unauthorized, firstAccess);
        Assert.Equal(HttpStatusCode.Unauthorized, secondAccess);
        Assert.Equal(HttpStatusCode.Unauthorized, otherAccess);
        Assert.Equal(HttpStatusCode.OK, otherRefreshed.Status);
        Assert.Equal(HttpStatusCode.OK, otherRefreshedAccess);
    }

    [Fact]
    public async Task A_refresh_sent_again_after_its_answer_was_lost_gets_a_new_pair_and_the_lost_one_is_revoked()
    {
        var (user, id) = await fixture.NewUserAsync();
        var signIn = await fixture.SignInAsync(user, SignInFixture.UserPassword, SignInFixture.NewAddress());

        var lost = await RefreshAsync(signIn.RefreshToken!); // answered, but the phone never got it
        var retried = await RefreshAsync(signIn.RefreshToken!);
        var againLost = await RefreshAsync(signIn.RefreshToken!); // the retry's answer lost too
        var retriedAccess = await GetOwnCustomersAsync(againLost.AccessToken!, id);
        var lostNext = await RefreshAsync(lost.RefreshToken!);
        var retriedNext = await RefreshAsync(retried.RefreshToken!);
        var next = await RefreshAsync(againLost.RefreshToken!);
        var (admin, _) = await fixture.AdminAsync();
        var retries = (await admin.GetAsync($"/api/audit?action=auth.refresh-retried&actorId={id}")).EnsureStatus(HttpStatusCode.OK).Value;
        var reuses = (await admin.GetAsync($"/api/audit?action=auth.refresh-reused&actorId={id}")).EnsureStatus(HttpStatusCode.OK).Value;

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], new[] { lost.Status, retried.Status, againLost.Status });
        Assert.Equal(3, new[] { lost.RefreshToken, retried.RefreshToken, againLost.RefreshToken }.Distinct().Count());
        Assert.Equal(HttpStatusCode.OK, retriedAccess);
        Assert.Equal(HttpStatusCode.Unauthorized, lostNext.Status); // the lost answers' tokens were revoked: one live token per session
        Assert.Equal(HttpStatusCode.Unauthorized, retriedNext.Status);
        Assert.Equal(HttpStatusCode.OK, next.Status);
        Assert.Equal(2, retries.GetProperty("total").GetInt32());
        Assert.Equal(0, reuses.GetProperty("total").GetInt32()); // a revoked token is refused, not taken for theft
    }

    [Fact]
    public async Task The_typed_client_sends_a_refresh_again_when_the_connection_failed_and_stays_signed_in()
    {
        var (user, id) = await fixture.NewUserAsync();
        var drop = new DropFirstRefreshAnswer { InnerHandler = new HttpClientHandler() };
        using var http = new HttpClient(drop) { BaseAddress = fixture.Server.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Forwarded-For", SignInFixture.NewAddress());
        using var client = new CrmClient(http) { MaxRetryDelay = TimeSpan.FromMilliseconds(100) };
        await client.LoginAsync(user, SignInFixture.UserPassword);

        await client.RefreshAsync();
        var page = await client.ListRepCustomersAsync(id);

        Assert.Equal(2, drop.Refreshes); // the first reached the server, its answer was dropped; the second was the retry
        Assert.Equal(0, page.Total);
    }

    /// <summary>Lets the first refresh reach the server and drops its answer, as a phone losing its network would.</summary>
    private sealed class DropFirstRefreshAnswer : DelegatingHandler
    {
        public int Refreshes;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (request.RequestUri!.AbsolutePath == "/api/auth/refresh" && Interlocked.Increment(ref Refreshes) == 1)
            {
                response.Dispose();
                throw new HttpRequestException("The connection was reset (the test dropped the answer).");
            }

            return response;
        }
    }

    [Fact]
    public async Task A_departed_user_can_neither_refresh_nor_use_its_access_token()
    {
        var (user, id) = await fixture.NewUserAsync();
        var signIn = await fixture.SignInAsync(user, SignInFixture.UserPassword, SignInFixture.NewAddress());
        var (admin, _) = await fixture.AdminAsync();

        (await admin.SendAsync<object>(HttpMethod.Post, $"/api/users/{id}/departure", new DepartureRequest())).EnsureStatus(HttpStatusCode.OK);
        var refresh = await RefreshAsync(signIn.RefreshToken!);
        var access = await GetOwnCustomersAsync(signIn.AccessToken!, id);

        Assert.Equal(HttpStatusCode.Unauthorized, refresh.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, access);
    }

    [Fact]
    public async Task The_typed_client_refreshes_by_itself_when_the_server_refuses_its_access_token()
    {
        var (user, id) = await fixture.NewUserAsync();
        using var http = new HttpClient { BaseAddress = fixture.Server.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Forwarded-For", SignInFixture.NewAddress()); // its own address window, not 127.0.0.1's
        using var client = new CrmClient(http);
        await client.LoginAsync(user, SignInFixture.UserPassword);
        var firstAccess = client.AccessToken;

        client.AccessToken = firstAccess + "x"; // as if it had expired: the server refuses it
        var page = await client.ListRepCustomersAsync(id);

        Assert.Equal(0, page.Total);
        Assert.NotEqual(firstAccess + "x", client.AccessToken); // replaced by a refreshed one (same second: same claims)
    }

    private Task<Attempt> RefreshAsync(string refreshToken) =>
        fixture.PostAsync("/api/auth/refresh", new RefreshRequest(refreshToken), SignInFixture.NewAddress());

    private async Task<HttpStatusCode> GetOwnCustomersAsync(string accessToken, string repId)
    {
        using var http = new HttpClient { BaseAddress = fixture.Server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.GetAsync($"/api/reps/{repId}/customers");
        return response.StatusCode;
    }
}
