using System.Globalization;
using Crm.Grains.EventLog;
using Crm.Server.Api.Common;

namespace Crm.Server.Api.Customers;

/// <summary>The paging parameters of a customer's timeline and notes: <c>before</c> (a cursor from the previous page) and <c>limit</c>.</summary>
public static class TimelinePaging
{
    public const int DefaultLimit = 50;

    public static Validation Validate(string? before, int? limit, out long? cursor)
    {
        cursor = null;
        var validation = new Validation();
        if (before is not null)
        {
            var parsed = long.TryParse(before, NumberStyles.None, CultureInfo.InvariantCulture, out var position) && position > 0;
            validation.Check(parsed, "before", "'before' is the 'nextBefore' cursor of a previous page (a positive whole number).");
            cursor = parsed ? position : null;
        }

        validation.Check(limit is null or (>= 1 and <= CustomerEventLog.MaxPage), "limit", $"'limit' must be between 1 and {CustomerEventLog.MaxPage}.");
        return validation;
    }
}
