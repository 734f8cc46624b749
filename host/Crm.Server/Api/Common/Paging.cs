namespace Crm.Server.Api.Common;

/// <summary>List paging as API.md has it: page from 1, pageSize at most 500.</summary>
public static class Paging
{
    public const int MaxPageSize = 500;
    public const int DefaultPageSize = 50;

    public static Validation CheckPaging(this Validation validation, int? page, int? pageSize) => validation
        .Check(page is null or >= 1, "page", "'page' starts at 1.")
        .Check(pageSize is null or >= 1 and <= MaxPageSize, "pageSize", $"'pageSize' must be between 1 and {MaxPageSize}.");

    public static (int Limit, int Offset) LimitOffset(int? page, int? pageSize)
    {
        var size = pageSize ?? DefaultPageSize;
        return (size, ((page ?? 1) - 1) * size);
    }
}
