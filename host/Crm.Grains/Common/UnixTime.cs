namespace Crm.Grains.Common;

/// <summary>The read model stores instants as Unix milliseconds: portable across SQLite and PostgreSQL and sortable.</summary>
public static class UnixTime
{
    public static long ToMs(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    public static long? ToMs(DateTimeOffset? at) => at?.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static DateTimeOffset? FromMs(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
}
