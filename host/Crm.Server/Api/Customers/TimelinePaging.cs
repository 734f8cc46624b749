using System.Globalization;
using Crm.Client;
using Crm.Grains.Customers;
using Crm.Grains.EventLog;
using Crm.Server.Api.Common;
using Crm.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Customers;

/// <summary>The paging parameters of a customer's timeline and notes: <c>before</c> (a cursor from the previous page) and <c>limit</c>.</summary>
public static class TimelinePaging
{
    public const int DefaultLimit = 50;

    /// <summary>
    /// One page of a visible customer's history (or a part of it, such as its notes), shaped for the response; 400 for a
    /// bad cursor or limit, 404 for a customer the caller cannot see (<paramref name="read"/> answers null: the grain
    /// checks the reader itself, so a page costs one grain call).
    /// </summary>
    public static async Task<Results<Ok<T>, ValidationProblem, ProblemHttpResult>> PageAsync<T>(Guid id, string? before, int? limit,
        Func<long?, int, Task<HistoryPage?>> read, Func<HistoryPage, T> shape)
    {
        var validation = Validate(before, limit, out var cursor);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        return await read(cursor, limit ?? DefaultLimit) is { } page
            ? TypedResults.Ok(shape(page))
            : ApiResults.NotFound("Customer", id.ToString());
    }

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
