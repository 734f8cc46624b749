using System.Diagnostics;
using Crm.Grains.Calendars;
using Crm.Grains.Common;
using Crm.Grains.Morning;
using Crm.Grains.Storage;
using Dapper;

namespace Crm.Benchmarks.Morning;

/// <summary>
/// The morning as set-based SQL over the read model, what one would write without grains: the same three reasons
/// (unpaid instalments past due, customers whose recycle deadline comes before the working morning two working days
/// ahead, birthdays on today's occasion days) inserted as task rows and items in one transaction, ids derived from the
/// reason with ON CONFLICT DO NOTHING for idempotence. Its ids start with <c>sql:</c>, apart from the grains' tasks.
/// </summary>
public static class MorningSqlBaseline
{
    public sealed record Figures(double Wall, double Cpu, int Tasks);

    public static async Task<Figures> RunAsync(CrmDatabase database, DateTimeOffset now, int recycleDays)
    {
        var calendar = WorkCalendar.Default;
        var today = calendar.LocalDate(now);
        var until = calendar.LocalMorningAt(calendar.AddWorkingDays(today, new MorningOptions().DropWithinWorkingDays));
        var due = MorningRules.DueAt(calendar, today);
        var args = new DynamicParameters(new
        {
            now = UnixTime.ToMs(now), until = UnixTime.ToMs(until), period = recycleDays * 86_400_000L, due = UnixTime.ToMs(due),
            today = today.ToString("yyyy-MM-dd"),
        });
        var dayList = SqlIn.List("substr(v.value, 6, 5)", MorningRules.MonthDays(MorningRules.OccasionDays(calendar, today)), args, "d");
        var reasons = $"""
            SELECT 'sql:overdue:' || p.contract_id || ':' || p.instalment_no || ':' || @today AS id, 'Overdue instalment' AS title, 'call' AS kind,
                   c.id AS customer_id, c.owner_id AS owner_id
            FROM customers c JOIN payment_plan p ON p.customer_id = c.id JOIN contracts k ON k.id = p.contract_id
            WHERE c.owner_id IS NOT NULL AND p.paid_e4 < p.amount_e4 AND p.overdue_ms <= @now
            UNION ALL
            SELECT 'sql:drop:' || c.id || ':' || @today, 'Drops back to the pool soon', 'follow-up', c.id, c.owner_id
            FROM customers c
            WHERE c.owner_id IS NOT NULL AND COALESCE(c.last_follow_up_ms, c.created_ms) + @period < @until
            UNION ALL
            SELECT 'sql:occasion:' || v.customer_id || ':' || v.field_key || ':' || @today, 'Birthday', 'call', c.id, c.owner_id
            FROM customers c JOIN customer_field_values v ON v.customer_id = c.id
            WHERE c.owner_id IS NOT NULL AND v.field_key IN ('birthday', 'anniversary') AND {dayList}
            """;

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var tasks = await connection.ExecuteAsync($"""
            INSERT INTO tasks (id, title, kind, goal, notes, created_by, org_unit_id, created_ms, due_ms, due_alert_ms, status, sequence_id)
            SELECT r.id, r.title, r.kind, NULL, NULL, 'system', NULL, @now, @due, @due, 'open', NULL FROM ({reasons}) r WHERE true
            ON CONFLICT (id) DO NOTHING
            """, args, transaction);
        await connection.ExecuteAsync($"""
            INSERT INTO task_items (task_id, customer_id, assignee_id, status, outcome, done_ms, due_ms, due_alert_ms, alert_stage, next_alert_ms)
            SELECT r.id, r.customer_id, r.owner_id, 'open', NULL, NULL, @due, @due, 0, @due FROM ({reasons}) r WHERE true
            ON CONFLICT (task_id, customer_id) DO NOTHING
            """, args, transaction);
        await transaction.CommitAsync();
        wall.Stop();
        return new Figures(wall.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds, tasks);
    }
}
