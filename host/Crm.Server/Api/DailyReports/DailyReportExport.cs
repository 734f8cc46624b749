using Crm.Grains.Common;
using System.Globalization;
using Crm.Client;
using Crm.Grains.DailyReports;
using Crm.Grains.Org;
using Crm.Server.Api.Common;
using Crm.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.DailyReports;

/// <summary>
/// <c>GET /api/reports/daily/export?repId=|scopeId=&amp;from=&amp;to=&amp;format=csv|xlsx</c>: the stored daily reports
/// of one rep, or of every rep in an org unit's subtree, one row per report, only of reps the caller reaches.
/// </summary>
public static class DailyReportExport
{
    public const int MaxRows = 20_000;
    public const int MaxDays = 366;

    public static readonly IReadOnlyList<string> Header =
    [
        "repId", "date", "generatedAt", "newCustomers", "followUps", "followUpsByType", "visits", "notes", "dealsWon", "wonAmounts", "paymentsReceived",
        "newTasks", "overdueTasks", "dueNext", "green", "yellow", "red", "comments", "plan", "replies",
    ];

    public static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> Export(string? repId, string? scopeId, string? from, string? to,
        string? format, HttpContext http, OrgTreeCache tree, DailyReportStore store)
    {
        DateOnly first = default, last = default;
        var validation = new Validation().MaxLength(repId, "repId", 64).MaxLength(scopeId, "scopeId", 64)
            .Check((repId is null) != (scopeId is null), "repId", "Give either 'repId' or 'scopeId' (an org unit).")
            .Check(DateOnly.TryParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out first), "from", "'from' must be a date as yyyy-MM-dd.")
            .Check(DateOnly.TryParseExact(to, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out last), "to", "'to' must be a date as yyyy-MM-dd.")
            .Check(format is null or "csv" or "xlsx", "format", "'format' must be csv or xlsx.");
        validation.Check(!validation.IsValid || (last >= first && last.DayNumber - first.DayNumber < MaxDays), "to", $"'to' must be on or after 'from', at most {MaxDays} days on.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        IReadOnlyList<string> reps;
        if (repId is not null)
        {
            var (member, refused) = await DailyReportsApi.VisibleRepAsync(repId.Trim(), http, tree);
            if (refused is not null)
            {
                return refused;
            }

            reps = [member!.UserId];
        }
        else
        {
            var snapshot = await tree.SnapshotAsync();
            var caller = http.User.ToVisibility();
            if (!snapshot.Paths.TryGetValue(scopeId!, out var path) || !caller.Reaches(path))
            {
                return ApiResults.NotFound("Org unit", scopeId!);
            }

            if (caller.Role == UserRole.Rep)
            {
                return ApiResults.Problem(Crm.Grains.Common.CrmError.Forbidden("A rep exports its own daily reports only (repId)."));
            }

            reps = snapshot.Members.Values.Where(m => m.Role == UserRole.Rep && OrgPaths.Reaches(path, m.OrgUnitPath)).Select(m => m.UserId).ToList();
        }

        var reports = await store.ListAsync(reps, first, last, MaxRows);
        var rows = new List<IReadOnlyList<object?>>();
        foreach (var r in reports)
        {
            rows.Add(await RowAsync(r, store));
        }

        var name = $"daily-reports-{from}-{to}";
        return format == "xlsx"
            ? TypedResults.File(TableFiles.Xlsx(Header, rows, "Daily reports"), TableFiles.XlsxType, name + ".xlsx")
            : TypedResults.File(TableFiles.Csv(Header, rows), FileAnswers.CsvUtf8, name + ".csv");
    }

    private static async Task<IReadOnlyList<object?>> RowAsync(StoredDailyReport r, DailyReportStore store)
    {
        var f = r.Figures;
        static string Money(IReadOnlyList<MoneyAmountDto> amounts) =>
            string.Join("; ", amounts.Select(a => $"{a.Amount.ToString("0.####", CultureInfo.InvariantCulture)} {a.Currency}"));
        return
        [
            r.RepId, DailyReportStore.Day(r.Date), r.GeneratedAt.ToString("O", CultureInfo.InvariantCulture), f.NewCustomers, f.FollowUps,
            string.Join("; ", f.FollowUpsByType.Select(t => $"{t.Type}/{t.Outcome}: {t.Count}")), f.Visits, f.Notes, f.DealsWon, Money(f.WonAmounts), Money(f.PaymentsReceived),
            f.NewTasks.Count, f.OverdueTasks.Count, f.DueNext.Count, f.Lights.Green, f.Lights.Yellow, f.Lights.Red, r.Comments, r.Plan,
            await store.ReplyCountAsync(r.Id),
        ];
    }
}
