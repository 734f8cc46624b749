using Crm.Grains.Org;
using Crm.Grains.Storage;
using Crm.Server.Auth;
using Crm.Server.Org;
using Crm.Server.Storage;
using Crm.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Crm.Tests.Auth;

/// <summary>
/// The refresh retry window over a real SQLite file and a fake clock: a token presented again within the window of its
/// use is a retry; past it, or with the window off, it is a reuse that ends the session.
/// </summary>
public sealed class RefreshRetryWindowTests : IDisposable
{
    private readonly TempDirectory _data = new("crm-refresh");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    public void Dispose() => _data.Dispose();

    [Theory]
    [InlineData(30, 29, RefreshOutcome.Retried)]
    [InlineData(30, 31, RefreshOutcome.Reused)]
    [InlineData(0, 0, RefreshOutcome.Reused)]
    public async Task A_second_use_is_a_retry_only_within_the_window(int windowSeconds, int afterSeconds, RefreshOutcome expected)
    {
        var tokens = Tokens(TimeSpan.FromSeconds(windowSeconds));
        var family = RefreshTokens.NewFamily();
        var (token, _) = (await tokens.IssueAsync("rep-1", family))!.Value;

        Assert.Equal(RefreshOutcome.Rotated, (await tokens.UseAsync(token)).Outcome);
        var (successor, _) = (await tokens.IssueAsync("rep-1", family))!.Value; // the answer the phone never got
        _clock.Advance(TimeSpan.FromSeconds(afterSeconds));
        var again = await tokens.UseAsync(token);
        var successorAfter = await tokens.UseAsync(successor);

        Assert.Equal(expected, again.Outcome);
        Assert.Equal(RefreshOutcome.Invalid, successorAfter.Outcome); // revoked either way: by the retry, or with the whole session
    }

    [Fact]
    public async Task A_second_use_after_the_session_went_on_is_a_reuse_even_within_the_window()
    {
        var tokens = Tokens(TimeSpan.FromSeconds(30));
        var family = RefreshTokens.NewFamily();
        var (token, _) = (await tokens.IssueAsync("rep-1", family))!.Value;
        await tokens.UseAsync(token);
        var (successor, _) = (await tokens.IssueAsync("rep-1", family))!.Value;
        Assert.Equal(RefreshOutcome.Rotated, (await tokens.UseAsync(successor)).Outcome);
        var (third, _) = (await tokens.IssueAsync("rep-1", family))!.Value;

        var again = await tokens.UseAsync(token);

        Assert.Equal(RefreshOutcome.Reused, again.Outcome);
        Assert.Equal(RefreshOutcome.Invalid, (await tokens.UseAsync(third)).Outcome); // the session ended
    }

    [Fact]
    public async Task A_session_ended_between_a_tokens_use_and_the_next_issue_gets_no_new_token()
    {
        var tokens = Tokens(TimeSpan.FromSeconds(30));
        var family = RefreshTokens.NewFamily();
        var (token, _) = (await tokens.IssueAsync("rep-1", family))!.Value;
        Assert.Equal(RefreshOutcome.Rotated, (await tokens.UseAsync(token)).Outcome);
        await tokens.RevokeUserAsync("rep-1"); // a password reset lands between the refresh's use and its issue

        var next = await tokens.IssueAsync("rep-1", family, token);
        var signIn = await tokens.IssueAsync("rep-1", RefreshTokens.NewFamily()); // a new sign-in still gets one

        Assert.Null(next);
        Assert.NotNull(signIn);
    }

    [Fact]
    public async Task On_PostgreSQL_a_retry_and_a_session_ended_meanwhile_read_the_same()
    {
        await using var postgres = await PostgresDatabase.CreateAsync();
        var tokens = Tokens(TimeSpan.FromSeconds(30), new CrmDatabase(DatabaseProvider.PostgreSql, postgres.ConnectionString));
        var family = RefreshTokens.NewFamily();
        var (token, _) = (await tokens.IssueAsync("rep-1", family))!.Value;
        await tokens.UseAsync(token);
        var (lost, _) = (await tokens.IssueAsync("rep-1", family, token))!.Value;

        var again = await tokens.UseAsync(token);
        var lostAfter = await tokens.UseAsync(lost);
        await tokens.RevokeUserAsync("rep-1");
        var afterReset = await tokens.IssueAsync("rep-1", family, token);

        Assert.Equal(RefreshOutcome.Retried, again.Outcome);
        Assert.Equal(RefreshOutcome.Invalid, lostAfter.Outcome);
        Assert.Null(afterReset);
    }

    private RefreshTokens Tokens(TimeSpan window, CrmDatabase? on = null)
    {
        var database = on ?? new CrmDatabase(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(_data.Path, "crm.db")}");
        SchemaInstaller.Apply(database, null);
        var tree = new OrgTreeNotifier(new OrgTreeCache(database, NullLogger<OrgTreeCache>.Instance));
        return new RefreshTokens(database, Options.Create(new AuthOptions { RefreshRetryWindow = window }), _clock, tree);
    }
}
