using System.Globalization;
using System.Text;
using Crm.Client;
using Crm.Server.Api.Common;
using Crm.Server.Api.Customers;
using Crm.Server.Auth;
using Crm.Server.Permissions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Exports;

/// <summary>Exports of the read model as CSV: only what the caller may see, and every export is audited.</summary>
public static partial class ExportsApi
{
    /// <summary>On the shared <c>/api/customers</c> group (Composition/ApiComposition).</summary>
    public static RouteGroupBuilder MapExportsApi(this RouteGroupBuilder customers)
    {
        customers.MapGroup("/export").WithTags("Customers").RequireAuthorization(Policies.ManagerOrAdmin).MapGet("/", Customers).ProducesFile(FileAnswers.Csv);
        return customers;
    }

    private static async Task<Results<PushStreamHttpResult, ValidationProblem>> Customers(
        string? query, string? poolId, string? ownerId, Stage? stage, HttpContext http, CustomerQueries customers, AuditLog audit)
    {
        var validation = new Validation().MaxLength(query, "query", 200).MaxLength(poolId, "poolId", 64).MaxLength(ownerId, "ownerId", 64);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var visibility = http.User.ToVisibility();
        var filter = new CustomerFilter { Query = query, PoolId = poolId, OwnerId = ownerId, Stage = stage };
        // The rows that match as it begins: those created while it runs come after its end, as they would in a later export.
        var total = (await customers.SearchAsync(filter, visibility, 1, 1)).Total;
        await audit.WriteAsync(http.User.ToActor().UserId, AuditLog.Actions.CustomersExported, "customers", poolId ?? ownerId ?? "*", new()
        {
            ["query"] = query,
            ["poolId"] = poolId,
            ["ownerId"] = ownerId,
            ["stage"] = stage?.ToString().ToLowerInvariant(),
            ["rows"] = total.ToString(CultureInfo.InvariantCulture),
        });

        return TypedResults.Stream(async stream =>
        {
            // With the byte-order mark: Excel reads a CSV without one in the system's code page (GBK, windows-1251).
            await using var writer = new StreamWriter(stream, new UTF8Encoding(true));
            await writer.WriteLineAsync("id,name,company,phone,email,taxId,address,source,stage,poolId,ownerId,createdAt,lastFollowUpAt");
            // Page after page from where the last one ended, not by offset: leads arriving during a long export would
            // shift the pages, repeating some customers and leaving others out.
            CustomerDto? last = null;
            while (true)
            {
                var batch = await customers.PageAfterAsync(filter, visibility, last, Paging.MaxPageSize);
                foreach (var c in batch)
                {
                    await writer.WriteLineAsync(string.Join(',', new[]
                    {
                        c.Id.ToString(), c.Name, c.Company, c.Phone, c.Email, c.TaxId, c.Address, c.Source,
                        c.Stage.ToString().ToLowerInvariant(), c.PoolId, c.OwnerId, c.CreatedAt.ToString("O"), c.LastFollowUpAt?.ToString("O"),
                    }.Select(Csv)));
                }

                if (batch.Count < Paging.MaxPageSize)
                {
                    break;
                }

                last = batch[^1];
            }
        }, FileAnswers.CsvUtf8, "customers.csv");
    }

    /// <summary>RFC 4180 quoting of a <see cref="SafeCell"/>.</summary>
    internal static string Csv(string? value)
    {
        value = SafeCell(value);
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
    }

    /// <summary>
    /// A text cell a spreadsheet will not run: a leading = @ - (or + before anything but an international phone number,
    /// with the " ext. 12" the server writes an extension as) is neutralised with a leading apostrophe, so the cell is not taken
    /// as a formula (CSV and XLSX exports alike). The import drops that apostrophe again (<c>ImportColumns</c>).
    /// </summary>
    internal static string SafeCell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        // A value that already begins with the guard gets a second one, which the import drops: it comes back as it was.
        if (value[0] is '=' or '@' || value[0] == '-' || (value[0] == '+' && !IsPhoneNumber(value))
            || (value.Length > 1 && value[0] == '\'' && value[1] is '=' or '+' or '-' or '@'))
        {
            value = "'" + value;
        }

        return value;
    }

    /// <summary>An international number as the server writes one (+86 139 0000 0000): no other sign, seven digits at least.</summary>
    private static bool IsPhoneNumber(string value) => PhoneNumber().IsMatch(value) && value.Count(char.IsAsciiDigit) >= 7;

    [System.Text.RegularExpressions.GeneratedRegex(@"^\+[0-9][0-9 \-().]*( ext\. [0-9]+)?$")]
    private static partial System.Text.RegularExpressions.Regex PhoneNumber();
}
