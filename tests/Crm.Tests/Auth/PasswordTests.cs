using System.Net;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Auth;

/// <summary>Changing one's own password, an admin's reset, the policy and the generated first admin password (docs/security.md V2).</summary>
[Collection(SignInCollection.Name)]
public sealed class PasswordTests(SignInFixture fixture)
{
    [Theory]
    [InlineData("short-Pw1!", "at least 12")]
    [InlineData("{user}-and-more", "user name")]
    [InlineData("Password123!", "breaches")]
    public async Task A_new_password_is_refused_when_short_containing_the_name_or_breached(string candidate, string reason)
    {
        var (user, _) = await fixture.NewUserAsync();

        var change = await fixture.PostAsync("/api/auth/password",
            new ChangePasswordRequest(user, SignInFixture.UserPassword, candidate.Replace("{user}", user)), SignInFixture.NewAddress());
        var oldStillWorks = await fixture.SignInAsync(user, SignInFixture.UserPassword, SignInFixture.NewAddress());

        Assert.Equal(HttpStatusCode.BadRequest, change.Status);
        Assert.Contains(reason, change.Json!.Value.GetProperty("errors").GetProperty("newPassword")[0].GetString());
        Assert.Equal(HttpStatusCode.OK, oldStillWorks.Status);
    }

    [Fact]
    public async Task A_user_changes_its_own_password_with_the_current_one_and_the_old_one_stops_working()
    {
        var (user, id) = await fixture.NewUserAsync();
        const string chosen = "correct-Horse-battery-7";

        var wrongCurrent = await fixture.PostAsync("/api/auth/password", new ChangePasswordRequest(user, "not-the-password", chosen), SignInFixture.NewAddress());
        var changed = await fixture.PostAsync("/api/auth/password", new ChangePasswordRequest(user, SignInFixture.UserPassword, chosen), SignInFixture.NewAddress());
        var old = await fixture.SignInAsync(user, SignInFixture.UserPassword, SignInFixture.NewAddress());
        var fresh = await fixture.SignInAsync(user, chosen, SignInFixture.NewAddress());
        var (admin, _) = await fixture.AdminAsync();
        var audit = (await admin.GetAsync($"/api/audit?action=auth.password-changed&targetId={id}")).EnsureStatus(HttpStatusCode.OK).Value;

        Assert.Equal(HttpStatusCode.Unauthorized, wrongCurrent.Status);
        Assert.Equal(HttpStatusCode.OK, changed.Status);
        Assert.NotNull(changed.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, old.Status);
        Assert.Equal(HttpStatusCode.OK, fresh.Status);
        Assert.Equal(1, audit.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task After_an_admin_reset_the_user_must_choose_its_own_password_before_it_gets_a_token()
    {
        var (user, id) = await fixture.NewUserAsync();
        var (admin, _) = await fixture.AdminAsync();
        const string given = "handed-Over-by-admin-4";

        var reset = await admin.SendAsync<object>(HttpMethod.Post, $"/api/users/{id}/password", new ResetPasswordRequest(given));
        var withGiven = await fixture.SignInAsync(user, given, SignInFixture.NewAddress());
        var changed = await fixture.PostAsync("/api/auth/password", new ChangePasswordRequest(user, given, "my-Own-choice-at-last-5"), SignInFixture.NewAddress());
        var withOwn = await fixture.SignInAsync(user, "my-Own-choice-at-last-5", SignInFixture.NewAddress());
        var audit = (await admin.GetAsync($"/api/audit?action=user.password-reset&targetId={id}")).EnsureStatus(HttpStatusCode.OK).Value;

        reset.EnsureStatus(HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.Forbidden, withGiven.Status);
        Assert.Equal(ErrorCodes.PasswordChangeRequired, withGiven.Code);
        Assert.Null(withGiven.AccessToken);
        Assert.Equal(HttpStatusCode.OK, changed.Status);
        Assert.Equal(HttpStatusCode.OK, withOwn.Status);
        Assert.Equal(admin.UserId, Assert.Single(audit.GetProperty("items").EnumerateArray()).GetProperty("actorId").GetString());
    }

    [Fact]
    public async Task A_departed_users_password_is_not_reset()
    {
        var (_, id) = await fixture.NewUserAsync();
        var (admin, _) = await fixture.AdminAsync();
        (await admin.SendAsync<object>(HttpMethod.Post, $"/api/users/{id}/departure", new DepartureRequest())).EnsureStatus(HttpStatusCode.OK);

        var reset = await admin.SendAsync<object>(HttpMethod.Post, $"/api/users/{id}/password", new ResetPasswordRequest("Long-enough-pass-1"));
        var audit = (await admin.GetAsync($"/api/audit?action=user.password-reset&targetId={id}")).EnsureStatus(HttpStatusCode.OK).Value;

        Assert.Equal((HttpStatusCode.Conflict, "user-left"), (reset.Status, reset.Code));
        Assert.Equal(0, audit.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_configured_admin_password_that_breaks_the_policy_stops_the_first_start_naming_the_setting_and_the_rule()
    {
        using var data = new TempDirectory("crm-weak-admin");

        var start = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ServerProcess.StartAsync(data.Path, new Dictionary<string, string> { ["Crm__Admin__Password"] = "Admin-Pass-123!" }));

        Assert.Contains("Crm:Admin:Password", start.Message);
        Assert.Contains("may not contain the user name", start.Message);
    }

    [Fact]
    public async Task A_generated_admin_password_is_in_a_0600_file_must_be_changed_first_and_the_change_deletes_the_file()
    {
        var first = fixture.FirstAdmin; // the fixture's server started with no configured admin password

        var newPassword = await fixture.SignInAsync("admin", SignInFixture.AdminPassword, SignInFixture.NewAddress());

        Assert.Equal(OperatingSystem.IsWindows() ? UnixFileMode.None : UnixFileMode.UserRead | UnixFileMode.UserWrite, first.FileMode);
        Assert.Equal(HttpStatusCode.Forbidden, first.FirstSignIn.Status);
        Assert.Equal(ErrorCodes.PasswordChangeRequired, first.FirstSignIn.Code);
        first.Change.EnsureStatus(HttpStatusCode.OK);
        Assert.False(first.FileExistsAfterChange);
        Assert.Equal(HttpStatusCode.Unauthorized, first.OldPasswordAfterChange.Status);
        Assert.Equal(HttpStatusCode.OK, newPassword.Status);
    }
}
