namespace Crm.Server.Api.Common;

/// <summary>List paging as API.md has it: page from 1, pageSize at most 500.</summary>
public static class Paging
{
    public const int MaxPageSize = 500;
    public const int DefaultPageSize = 50;

    /// <summary>The last page asked for: far past any list, and its offset still an <c>int</c> at the largest page size.</summary>
    public const int MaxPage = 1_000_000;

    public static Validation CheckPaging(this Validation validation, int? page, int? pageSize) => validation
        .Check(page is null or >= 1 and <= MaxPage, "page", "'page' must be between 1 and 1,000,000.")
        .Check(pageSize is null or >= 1 and <= MaxPageSize, "pageSize", $"'pageSize' must be between 1 and {MaxPageSize}.");

    public static (int Limit, int Offset) LimitOffset(int? page, int? pageSize)
    {
        // In long: page 2,147,483,647 overflowed to a negative offset (a 500 on PostgreSQL, some other page on SQLite).
        var size = pageSize ?? DefaultPageSize;
        return (size, (int)Math.Min(((page ?? 1) - 1L) * size, int.MaxValue));
    }
}
