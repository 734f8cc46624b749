using Crm.Grains.Storage;
using Dapper;

namespace Crm.Grains.Notifications;

/// <summary>
/// Reads of the message center and its read marks. New rows are written only by the user's <see cref="InboxGrain"/>
/// (it numbers them); the read marks and the retention cleanup touch other columns or old rows, so they go straight to
/// the table.
/// </summary>
public sealed class NotificationStore(CrmDatabase database)
{
    /// <summary>At most this many notifications per read.</summary>
    public const int MaxBatch = 500;

    private const string Columns = "user_id AS UserId, id AS Id, event_type AS EventType, data AS Data, event_key AS EventKey, at_ms AS AtMs, created_ms AS CreatedMs, read_ms AS ReadMs";

    /// <summary>The user's last id and the keys of its latest notifications, for an inbox that activates.</summary>
    public async Task<(long LastId, IReadOnlyList<string> RecentKeys)> TailAsync(string userId, int keys)
    {
        await using var connection = await database.OpenAsync();
        var recent = (await connection.QueryAsync<(long Id, string Key)>(
            "SELECT id, event_key FROM notifications WHERE user_id = @userId ORDER BY id DESC LIMIT @keys", new { userId, keys })).ToList();
        var last = recent.Count > 0 ? recent[0].Id
            : await connection.ExecuteScalarAsync<long?>("SELECT MAX(id) FROM notifications WHERE user_id = @userId", new { userId }) ?? 0;
        return (last, recent.Select(r => r.Key).ToList());
    }

    /// <summary>What a user has after <paramref name="afterId"/>, oldest first: how a reconnecting client catches up.</summary>
    public async Task<IReadOnlyList<NotificationRow>> AfterAsync(string userId, long afterId, int limit)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<NotificationRow>(
            $"SELECT {Columns} FROM notifications WHERE user_id = @userId AND id > @afterId ORDER BY id LIMIT @limit",
            new { userId, afterId, limit = Math.Clamp(limit, 1, MaxBatch) })).ToList();
    }

    /// <summary>A page of the user's notifications, newest first, and how many there are.</summary>
    /// <param name="unread">True: the unread ones only; false: the read ones only; null: all.</param>
    public async Task<(IReadOnlyList<NotificationRow> Items, long Total)> PageAsync(string userId, bool? unread, int limit, int offset)
    {
        var filter = unread switch
        {
            true => "user_id = @userId AND read_ms IS NULL",
            false => "user_id = @userId AND read_ms IS NOT NULL",
            null => "user_id = @userId",
        };
        await using var connection = await database.OpenAsync();
        var items = (await connection.QueryAsync<NotificationRow>(
            $"SELECT {Columns} FROM notifications WHERE {filter} ORDER BY id DESC LIMIT @limit OFFSET @offset",
            new { userId, limit, offset })).ToList();
        var total = await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM notifications WHERE {filter}", new { userId });
        return (items, total);
    }

    public async Task<long> UnreadCountAsync(string userId)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM notifications WHERE user_id = @userId AND read_ms IS NULL", new { userId });
    }

    /// <summary>Marks one notification read (a second mark keeps the first time); false if the user has no such notification.</summary>
    public async Task<bool> MarkReadAsync(string userId, long id, long nowMs)
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync(
            "UPDATE notifications SET read_ms = @nowMs WHERE user_id = @userId AND id = @id AND read_ms IS NULL", new { userId, id, nowMs });
        return await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM notifications WHERE user_id = @userId AND id = @id", new { userId, id }) > 0;
    }

    /// <summary>Marks everything up to <paramref name="upToId"/> read (all when null); answers how many were unread.</summary>
    public async Task<int> MarkAllReadAsync(string userId, long? upToId, long nowMs)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteAsync(
            "UPDATE notifications SET read_ms = @nowMs WHERE user_id = @userId AND read_ms IS NULL AND id <= @upTo",
            new { userId, nowMs, upTo = upToId ?? long.MaxValue });
    }

    /// <summary>
    /// Deletes notifications stored before <paramref name="cutoffMs"/>, except each user's latest one: it holds the
    /// user's last id, so numbering goes on from there and a client's last seen id stays meaningful. Answers how many.
    /// </summary>
    public async Task<int> DeleteStoredBeforeAsync(long cutoffMs)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteAsync("""
            DELETE FROM notifications
            WHERE created_ms < @cutoffMs
              AND id < (SELECT MAX(n.id) FROM notifications n WHERE n.user_id = notifications.user_id)
            """, new { cutoffMs });
    }
}
