using Crm.Grains.Storage;
using Crm.Server.Idempotency;
using Crm.Tests.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Crm.Tests.Reliability;

/// <summary>The idempotency_keys table on both databases: one holder per caller and key, answers kept, expired keys deleted.</summary>
public sealed class IdempotencyStoreTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task A_key_is_held_once_keeps_its_answer_and_expires_after_its_lifetime(DatabaseProvider provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var writer = new SqlBatchWriter(db.Database, NullLogger<SqlBatchWriter>.Instance);
        var store = new IdempotencyStore(db.Database, writer);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var options = Options.Create(new IdempotencyOptions { KeyLifetime = TimeSpan.FromHours(24) });
        var cleanup = new IdempotencyCleanup(store, options, clock, NullLogger<IdempotencyCleanup>.Instance);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();

        Assert.True(await store.TryInsertAsync("rep-1", "k1", "hash-a", "silo-a", now));
        Assert.False(await store.TryInsertAsync("rep-1", "k1", "hash-a", "silo-b", now));
        Assert.True(await store.TryInsertAsync("rep-2", "k1", "hash-a", "silo-b", now));
        await store.CompleteAsync("rep-1", "k1", "silo-a", new StoredAnswer(201, "application/json", "/api/x/1", "{\"id\":1}"u8.ToArray()), now);

        var kept = await store.FindAsync("rep-1", "k1");
        Assert.NotNull(kept);
        Assert.Equal((201, "application/json", "/api/x/1", "{\"id\":1}"), (kept.Status!.Value, kept.ContentType, kept.Location, System.Text.Encoding.UTF8.GetString(kept.Body!)));
        Assert.False(await store.TryTakeOverAsync("rep-1", "k1", "hash-a", "silo-c", now, "silo-a", now)); // answered keys are never taken over
        Assert.True(await store.TryTakeOverAsync("rep-2", "k1", "hash-a", "silo-c", now + 1, "silo-b", now));
        Assert.False(await store.TryTakeOverAsync("rep-2", "k1", "hash-a", "silo-d", now + 2, "silo-b", now)); // someone was first

        clock.Advance(TimeSpan.FromHours(23));
        Assert.True(await store.TryInsertAsync("rep-3", "k1", "hash-a", "silo-a", clock.GetUtcNow().ToUnixTimeMilliseconds()));
        clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(2, await cleanup.CleanOnceAsync());
        Assert.Null(await store.FindAsync("rep-1", "k1"));
        Assert.NotNull(await store.FindAsync("rep-3", "k1"));
    }
}
