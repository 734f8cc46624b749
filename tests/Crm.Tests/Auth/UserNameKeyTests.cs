using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Org;
using Crm.Server.Org;
using Crm.Tests.Storage;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace Crm.Tests.Auth;

/// <summary>
/// User names compare folded (NFKC, then lower case): a full-width lookalike is the same name. Keys stored before the
/// folding are folded at start-up unless that would take another user's key.
/// </summary>
public sealed class UserNameKeyTests : IAsyncLifetime
{
    private readonly TestDatabase _db = TestDatabase.CreateSqlite();
    private UserDirectory _users = null!;

    public Task InitializeAsync()
    {
        _users = new UserDirectory(_db.Database, TimeProvider.System, new OrgTreeNotifier(new OrgTreeCache(_db.Database, NullLogger<OrgTreeCache>.Instance)));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Keys_stored_before_the_folding_are_folded_unless_another_user_has_the_folded_one()
    {
        // As an older version stored them: trimmed and lower-cased only.
        await InsertAsUnfoldedAsync("u1", "ｗａｎｇ");
        await InsertAsUnfoldedAsync("u2", "ｌｉ");
        await InsertAsUnfoldedAsync("u3", "li");

        await _users.FoldStoredNameKeysAsync(NullLogger.Instance);
        var lookalike = await _users.CreateAsync("WANG", "rep-Passw0rd!", "Wang", UserRole.Rep, null);

        Assert.Equal(ErrorCodes.UserExists, lookalike.Error!.Code);
        Assert.Equal("u1", (await _users.FindByNameAsync("wang"))!.Id);
        Assert.Equal("u1", (await _users.FindByNameAsync("ｗａｎｇ"))!.Id);
        Assert.Equal("u2", (await _users.FindByNameAsync("ｌｉ"))!.Id); // kept unfolded: "li" is u3's
        Assert.Equal("u3", (await _users.FindByNameAsync("LI"))!.Id);
    }

    private async Task InsertAsUnfoldedAsync(string id, string userName)
    {
        await using var connection = await _db.Database.OpenAsync();
        await connection.ExecuteAsync("""
            INSERT INTO users (id, user_name, user_name_key, password_hash, display_name, role, org_unit_id, created_ms)
            VALUES (@id, @userName, @key, 'x', @userName, 'rep', NULL, 0)
            """, new { id, userName, key = userName.ToLowerInvariant() });
    }
}
