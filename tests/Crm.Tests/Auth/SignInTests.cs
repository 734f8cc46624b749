using System.Net;
using System.Text.Json;
using Crm.Client;
using Crm.Server.Auth;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Auth;

/// <summary>Sign-in as an attacker tries it: guessing passwords, spraying names, timing the answers (docs/security.md V2).</summary>
[Collection(SignInCollection.Name)]
public sealed class SignInTests(SignInFixture fixture)
{
    [Fact]
    public async Task Repeated_wrong_passwords_lock_the_name_out_with_429_and_Retry_After_even_for_the_right_password()
    {
        var (user, _) = await fixture.NewUserAsync();

        var failures = new List<Attempt>();
        for (var i = 0; i < SignInFixture.LockoutAfter; i++)
        {
            failures.Add(await fixture.SignInAsync(user, $"wrong-guess-{i}", SignInFixture.NewAddress()));
        }

        var locked = await fixture.SignInAsync(user, SignInFixture.UserPassword, SignInFixture.NewAddress());

        Assert.All(failures, f => Assert.Equal(HttpStatusCode.Unauthorized, f.Status));
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.Status);
        Assert.Equal(ErrorCodes.TooManyRequests, locked.Code);
        Assert.InRange(locked.RetryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        Assert.Equal((long)locked.RetryAfter.Value.TotalSeconds, locked.Json!.Value.GetProperty("retryAfterSeconds").GetInt64()); // a number, as the header
    }

    [Fact]
    public async Task The_lockout_doubles_with_each_further_failure_up_to_the_maximum()
    {
        var options = new LoginOptions { LockoutAfterFailures = 5, LockoutBaseSeconds = 30, LockoutMaxSeconds = 900 };

        var periods = Enumerable.Range(1, 12).Select(n => LoginThrottle.LockoutAfter(n, options)?.TotalSeconds).ToList();

        Assert.Equal([null, null, null, null, 30, 60, 120, 240, 480, 900, 900, 900], periods);
    }

    [Fact]
    public async Task Unknown_names_are_locked_out_like_known_ones_so_a_lockout_tells_nothing()
    {
        var unknown = $"nobody-{Guid.NewGuid():N}"[..20];
        for (var i = 0; i < SignInFixture.LockoutAfter; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.SignInAsync(unknown, $"guess-{i}-{i}-{i}", SignInFixture.NewAddress())).Status);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await fixture.SignInAsync(unknown, "guess-again-again", SignInFixture.NewAddress())).Status);
    }

    [Fact]
    public async Task An_unknown_name_costs_as_much_time_as_a_wrong_password_for_a_known_one()
    {
        var known = new List<TimeSpan>();
        var unknown = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            var (user, _) = await fixture.NewUserAsync();
            known.Add((await fixture.SignInAsync(user, "not-the-password", SignInFixture.NewAddress())).Elapsed);
            unknown.Add((await fixture.SignInAsync($"ghost-{Guid.NewGuid():N}"[..20], "not-the-password", SignInFixture.NewAddress())).Elapsed);
        }

        // Before the dummy hash: 74 ms against 2 ms. Medians of interleaved attempts and a loose factor: a busy machine
        // slows single attempts of either kind, never all unknown ones by a factor of four.
        static TimeSpan Median(List<TimeSpan> times) => times.Order().ElementAt(times.Count / 2);
        Assert.True(Median(unknown) > Median(known) * 0.25, $"known {Median(known).TotalMilliseconds} ms, unknown {Median(unknown).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task One_user_name_is_throttled_whatever_the_address()
    {
        var (user, _) = await fixture.NewUserAsync();

        var allowed = new List<Attempt>();
        for (var i = 0; i < SignInFixture.PerUserName; i++)
        {
            allowed.Add(await fixture.SignInAsync(user, SignInFixture.UserPassword, SignInFixture.NewAddress()));
        }

        var refused = await fixture.SignInAsync(user, SignInFixture.UserPassword, SignInFixture.NewAddress());

        Assert.All(allowed, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.NotNull(refused.RetryAfter);
    }

    [Fact]
    public async Task One_address_is_throttled_whatever_the_names_and_other_addresses_are_not()
    {
        var address = SignInFixture.NewAddress();
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < SignInFixture.PerAddress; i++)
        {
            answers.Add((await fixture.SignInAsync($"spray-{Guid.NewGuid():N}"[..20], "Summer2026!!", address)).Status);
        }

        var refused = await fixture.SignInAsync($"spray-{Guid.NewGuid():N}"[..20], "Summer2026!!", address);
        var elsewhere = await fixture.SignInAsync($"spray-{Guid.NewGuid():N}"[..20], "Summer2026!!", SignInFixture.NewAddress());

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Unauthorized, a));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Equal(ErrorCodes.TooManyRequests, refused.Code);
        Assert.InRange(refused.RetryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.Unauthorized, elsewhere.Status);
    }

    [Fact]
    public async Task Every_failure_is_audited_with_who_when_where_and_why()
    {
        var (user, id) = await fixture.NewUserAsync();
        var unknown = $"ghost-{Guid.NewGuid():N}"[..20];
        var address = SignInFixture.NewAddress();

        await fixture.SignInAsync(user, "not-the-password", address);
        await fixture.SignInAsync(unknown, "not-the-password", address);
        var (admin, _) = await fixture.AdminAsync();

        var wrong = await AuditAsync(admin, user);
        var ghost = await AuditAsync(admin, unknown);

        Assert.Equal(id, wrong.GetProperty("actorId").GetString());
        Assert.Equal("wrong-password", wrong.GetProperty("details").GetProperty("reason").GetString());
        Assert.Equal(address, wrong.GetProperty("details").GetProperty("address").GetString());
        Assert.True(wrong.GetProperty("at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.Equal("anonymous", ghost.GetProperty("actorId").GetString());
        Assert.Equal("unknown-user", ghost.GetProperty("details").GetProperty("reason").GetString());
        Assert.Equal(address, ghost.GetProperty("details").GetProperty("address").GetString());
    }

    [Fact]
    public async Task A_sign_in_refused_by_the_address_limit_is_audited_with_the_name_tried()
    {
        var address = SignInFixture.NewAddress();
        for (var i = 0; i < SignInFixture.PerAddress; i++)
        {
            await fixture.SignInAsync($"spray-{Guid.NewGuid():N}"[..20], "Summer2026!!", address);
        }

        var sprayed = $"spray-{Guid.NewGuid():N}"[..20];
        var refused = await fixture.SignInAsync(sprayed, "Summer2026!!", address);
        var (admin, _) = await fixture.AdminAsync();
        var audit = await AuditAsync(admin, sprayed);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Equal("anonymous", audit.GetProperty("actorId").GetString());
        Assert.Equal("throttled", audit.GetProperty("details").GetProperty("reason").GetString());
        Assert.Equal(address, audit.GetProperty("details").GetProperty("address").GetString());
    }

    [Fact]
    public async Task A_locked_out_attempt_on_a_known_user_is_audited_as_that_user()
    {
        var (user, id) = await fixture.NewUserAsync();
        for (var i = 0; i < SignInFixture.LockoutAfter; i++)
        {
            await fixture.SignInAsync(user, "not-the-password", SignInFixture.NewAddress());
        }

        var locked = await fixture.SignInAsync(user, SignInFixture.UserPassword, SignInFixture.NewAddress());
        var (admin, _) = await fixture.AdminAsync();
        var page = (await admin.GetAsync($"/api/audit?action=auth.login-failed&targetId={user}")).EnsureStatus(HttpStatusCode.OK).Value;
        var lockedEntry = page.GetProperty("items").EnumerateArray().Single(e => e.GetProperty("details").GetProperty("reason").GetString() == "locked");

        Assert.Equal(HttpStatusCode.TooManyRequests, locked.Status);
        Assert.Equal(id, lockedEntry.GetProperty("actorId").GetString());
    }

    private static async Task<JsonElement> AuditAsync(CrmApi admin, string userName)
    {
        var page = (await admin.GetAsync($"/api/audit?action=auth.login-failed&targetId={userName}")).EnsureStatus(HttpStatusCode.OK).Value;
        return Assert.Single(page.GetProperty("items").EnumerateArray());
    }
}
