using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Crm.Server.Api.Common;

namespace Crm.Server.Api.Customers;

/// <summary>
/// Where a customer list goes on (<c>?after=</c>, a page's <c>nextAfter</c>): the last item's creation time and id in the
/// lists' order (newest first, then by id), opaque to clients. A walk by cursor neither repeats nor skips a customer that
/// stays in the list when others arrive or leave it; one created meanwhile is newer than the walk and comes in the next.
/// </summary>
public readonly record struct CustomerCursor(long CreatedMs, string Id)
{
    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{CreatedMs.ToString(CultureInfo.InvariantCulture)}:{Id}"));

    public static CustomerCursor? Decode(string text)
    {
        if (text.Length is 0 or > 200 || !Base64Url.IsValid(text))
        {
            return null;
        }

        var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text)).Split(':');
        return parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && Guid.TryParse(parts[1], out var id)
            ? new CustomerCursor(ms, id.ToString())
            : null;
    }
}

/// <summary>The paging of a customer list: a page number or a cursor (<c>after</c>), not both.</summary>
public static class CustomerPaging
{
    public static Validation CheckCursor(this Validation validation, int? page, string? after, out CustomerCursor? cursor)
    {
        cursor = after is null ? null : CustomerCursor.Decode(after);
        return validation
            .Check(after is null || page is null, "after", "Give 'page' or 'after', not both.")
            .Check(after is null || cursor is not null, "after", "'after' is not a cursor of this list: pass a page's 'nextAfter' as it came.");
    }
}
