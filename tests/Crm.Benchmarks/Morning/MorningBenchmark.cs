using System.Diagnostics;
using System.Globalization;
using Crm.Benchmarks.Common;
using Crm.Benchmarks.EventLog;
using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Morning;
using Crm.Grains.Org;
using Crm.Grains.Pools;
using Crm.Grains.Storage;
using Crm.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Crm.Benchmarks.Morning;

/// <summary>
/// Morning tasks at scale: C customers owned by R reps in U units, created through the customer grains over D fake days
/// (so their recycle deadlines spread out as in a working pool), plus read-model rows for the other reasons: unpaid
/// instalments past due on 3 % of the customers and a birthday date field on 30 %. On the morning of the day after, every
/// unit's morning grain runs (as the sweep knocks on them); then it runs again, which must make nothing. Reported: seconds,
/// tasks, and the database work per task (the group-commit writer's committed writes and commits).
/// Baseline in the same run, on the same database and reasons: what one would write without grains, set-based SQL that
/// computes the same reasons from the read model and inserts the task rows (task + item) in one transaction with
/// ON CONFLICT DO NOTHING. It pushes nothing and keeps no task state beyond the rows; the grain path also stores and
/// pushes a TaskAssigned per task into the owner's message center.
/// Options: --customers 100000 --reps 1000 --units 10 --days 30 [--postgres]
/// </summary>
public sealed class MorningBenchmark : IBenchmark
{
    private const int RecycleDays = 30;
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero); // a Monday

    public string Name => "morning";

    public string Description => "Morning task generation (grains, per unit) vs set-based SQL over the read model [--customers 100000 --reps 1000 --units 10 --days 30 --postgres]";

    public async Task RunAsync(string[] args)
    {
        var options = new BenchArgs(args);
        var customers = options.Int("customers", 100_000);
        var reps = options.Int("reps", 1_000);
        var units = options.Int("units", 10);
        var days = options.Int("days", RecycleDays);
        var postgres = args.Contains("--postgres");
        Console.WriteLine($"morning: {customers:N0} customers, {reps:N0} reps in {units} units, created over {days} fake days, recycle after {RecycleDays} days " +
                          $"without follow-up, drop warnings {new MorningOptions().DropWithinWorkingDays} working days ahead; {(postgres ? "PostgreSQL" : "SQLite")}; " +
                          $"{Environment.ProcessorCount} cores, load average {HistoryBenchmark.LoadAverage()}");

        using var directory = new TempDirectory("crm-bench-morning");
        await using var pg = postgres ? await CreatePostgresAsync() : null;
        var database = pg is not null
            ? new CrmDatabase(DatabaseProvider.PostgreSql, pg.ConnectionString)
            : new CrmDatabase(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(directory.Path, "crm.db")}");
        var clock = new FakeTimeProvider(Start);
        await using var silo = await BenchSilo.StartAsync(database, services: s => s
            .AddSingleton<TimeProvider>(clock)
            .Configure<MorningOptions>(o => o.Enabled = false)); // the benchmark knocks on the units itself

        var org = await CreateOrgAsync(silo, units, reps);
        var setup = Stopwatch.StartNew();
        var owned = await CreateCustomersAsync(silo, clock, org, customers, days);
        var (overdue, birthdays) = await AddReadModelReasonsAsync(database, owned, clock.GetUtcNow());
        Console.WriteLine($"set-up: {owned.Count:N0} customers through the grains, {overdue:N0} overdue instalments, {birthdays:N0} birthdays, {setup.Elapsed.TotalSeconds:N0} s");

        // The next working morning, after the morning hour (09:00 UTC, the default calendar).
        var morning = NextWorkingMorning(clock.GetUtcNow());
        clock.SetUtcNow(morning.AddMinutes(5));
        var writer = silo.Services.GetRequiredService<SqlBatchWriter>();
        var sweep = silo.Services.GetServices<IHostedService>().OfType<MorningSweep>().Single();

        var first = await MeasureAsync(writer, () => sweep.RunOnceAsync());
        var again = await RunAgainAsync(silo, writer);
        var baseline = await MorningSqlBaseline.RunAsync(database, clock.GetUtcNow(), RecycleDays);

        var made = first.Reports.Sum(r => r.Created);
        var reasons = first.Reports.Sum(r => r.Reasons);
        Console.WriteLine();
        Console.WriteLine($"{"",-44}{"wall s",9}{"CPU s",9}{"tasks",9}{"tasks/s",10}{"commits/task",14}{"writes/task",13}");
        Console.WriteLine($"{"grains: every unit's morning (first run)",-44}{first.Wall,9:N2}{first.Cpu,9:N2}{made,9:N0}{made / first.Wall,10:N0}" +
                          $"{(double)first.Commits / Math.Max(1, made),14:N2}{(double)first.Writes / Math.Max(1, made),13:N2}");
        Console.WriteLine($"{"grains: the same morning again (idempotent)",-44}{again.Wall,9:N2}{again.Cpu,9:N2}{again.Reports.Sum(r => r.Created),9:N0}{"",10}" +
                          $"{again.Commits,14:N0}{again.Writes,13:N0}");
        Console.WriteLine($"{"SQL: set-based INSERT … SELECT (baseline)",-44}{baseline.Wall,9:N2}{baseline.Cpu,9:N2}{baseline.Tasks,9:N0}{baseline.Tasks / baseline.Wall,10:N0}" +
                          $"{1.0 / Math.Max(1, baseline.Tasks),14:N4}{2.0,13:N2}");
        Console.WriteLine($"ratio (grains / SQL): wall {first.Wall / baseline.Wall:N1}x, CPU {first.Cpu / baseline.Cpu:N1}x; reasons found {reasons:N0} (grains) vs {baseline.Tasks:N0} (SQL)" +
                          $"{(reasons == baseline.Tasks ? "" : " MISMATCH")}; second run made {again.Reports.Sum(r => r.Created)} tasks" +
                          $"{(again.Reports.Sum(r => r.Created) == 0 ? " (ok)" : " FAIL")}");
        Console.WriteLine($"per owner: {(double)made / reps:N1} tasks; load average at the end {HistoryBenchmark.LoadAverage()}");
    }

    private static async Task<PostgresDatabase> CreatePostgresAsync()
    {
        Environment.SetEnvironmentVariable("CRM_TEST_POSTGRES", Environment.GetEnvironmentVariable("CRM_TEST_POSTGRES") ?? PostgresDatabase.DefaultServer);
        return await PostgresDatabase.CreateAsync();
    }

    private sealed record Org(IReadOnlyList<string> UnitIds, IReadOnlyList<(string RepId, string UnitId)> Reps, string PoolId);

    private static async Task<Org> CreateOrgAsync(BenchSilo silo, int units, int reps)
    {
        var now = UnixTime.ToMs(Start);
        var unitIds = Enumerable.Range(0, units).Select(u => $"unit-{u:D3}").ToList();
        var repRows = Enumerable.Range(0, reps).Select(r => ($"rep-{r:D5}", unitIds[r % units])).ToList();
        await using (var connection = await silo.Database.OpenAsync())
        {
            await connection.ExecuteAsync("INSERT INTO org_units (id, name, parent_id, path, created_ms) VALUES ('co', 'Company', NULL, '/co/', @now)", new { now });
            await connection.ExecuteAsync("INSERT INTO org_units (id, name, parent_id, path, created_ms) VALUES (@Id, @Id, 'co', '/co/' || @Id || '/', @now)",
                unitIds.Select(id => new { Id = id, now }));
            await connection.ExecuteAsync("""
                INSERT INTO users (id, user_name, user_name_key, password_hash, display_name, role, org_unit_id, created_ms)
                VALUES (@Id, @Id, @Id, 'x', @Id, 'rep', @Unit, @now)
                """, repRows.Select(r => new { Id = r.Item1, Unit = r.Item2, now }));
        }

        await silo.Services.GetRequiredService<OrgTreeCache>().ChangedAsync();
        var rules = new PoolRuleSet { RecycleAfterDaysWithoutFollowUp = RecycleDays, WarnDaysBefore = [2] };
        if ((await silo.Grains.GetGrain<IPoolGrain>("bench-pool").Create("Bench pool", "co", rules)).Error is { } error)
        {
            throw new InvalidOperationException($"pool creation failed: {error}");
        }

        return new Org(unitIds, repRows, "bench-pool");
    }

    /// <summary>Customers created through the grains, owned at creation, a share on each of the fake days (at 10:00).</summary>
    private static async Task<List<(Guid Id, string RepId)>> CreateCustomersAsync(BenchSilo silo, FakeTimeProvider clock, Org org, int customers, int days)
    {
        var owned = new List<(Guid, string)>(customers);
        var random = new Random(7);
        var perDay = (customers + days - 1) / days;
        for (var day = 0; day < days && owned.Count < customers; day++)
        {
            clock.SetUtcNow(Start.AddDays(day).AddHours(10));
            var batch = Enumerable.Range(owned.Count, Math.Min(perDay, customers - owned.Count)).Select(i =>
            {
                var rep = org.Reps[random.Next(org.Reps.Count)].RepId;
                return (Id: Guid.NewGuid(), Rep: rep, Request: new NewCustomer($"联系人{i}", $"测试{i}贸易有限公司", $"13{i:D9}",
                    PoolId: org.PoolId, OwnerId: rep));
            }).ToList();
            foreach (var chunk in batch.Chunk(500))
            {
                var results = await Task.WhenAll(chunk.Select(c => silo.Grains.GetGrain<ICustomerGrain>(c.Id).Create(c.Request, Actor.System)));
                if (results.FirstOrDefault(r => !r.Ok) is { } failed)
                {
                    throw new InvalidOperationException($"customer creation failed: {failed.Error}");
                }
            }

            owned.AddRange(batch.Select(b => (b.Id, b.Rep)));
        }

        return owned;
    }

    /// <summary>Rows the contract and custom-field projections would have written: overdue instalments and birthdays.</summary>
    private static async Task<(int Overdue, int Birthdays)> AddReadModelReasonsAsync(CrmDatabase database, List<(Guid Id, string RepId)> owned, DateTimeOffset now)
    {
        var random = new Random(11);
        var contracts = new List<object>();
        var plan = new List<object>();
        var birthdays = new List<object>();
        foreach (var (id, rep) in owned)
        {
            if (random.Next(100) < 3)
            {
                var contract = "k-" + id.ToString("N")[..20];
                var due = DateOnly.FromDateTime(now.AddDays(-random.Next(1, 40)).UtcDateTime);
                var overdueMs = UnixTime.ToMs(new DateTimeOffset(due.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
                contracts.Add(new { Id = contract, Customer = id.ToString(), Number = $"HT-{contracts.Count + 1:D7}", Rep = rep, Now = UnixTime.ToMs(now) });
                plan.Add(new { Contract = contract, Customer = id.ToString(), Due = due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Overdue = overdueMs });
            }

            if (random.Next(100) < 30)
            {
                var born = new DateOnly(random.Next(1960, 2000), 1, 1).AddDays(random.Next(365));
                birthdays.Add(new { Customer = id.ToString(), Value = born.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) });
            }
        }

        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("""
            INSERT INTO contracts (id, customer_id, deal_id, number, number_key, amount_e4, paid_e4, currency, signed_ms, rep_id, rep_unit_id,
                                   created_ms, updated_ms, version)
            VALUES (@Id, @Customer, 'd-' || @Id, @Number, @Number, 1000000000, 0, 'CNY', @Now, @Rep, NULL, @Now, @Now, 1)
            """, contracts, transaction);
        await connection.ExecuteAsync("""
            INSERT INTO payment_plan (contract_id, instalment_no, customer_id, due_date, amount_e4, paid_e4, overdue_ms, open_overdue_ms, overdue_raised, version)
            VALUES (@Contract, 1, @Customer, @Due, 1000000000, 0, @Overdue, NULL, 1, 1)
            """, plan, transaction);
        await connection.ExecuteAsync("INSERT INTO customer_field_values (customer_id, field_key, value) VALUES (@Customer, 'birthday', @Value)", birthdays, transaction);
        await transaction.CommitAsync();
        return (plan.Count, birthdays.Count);
    }

    private static DateTimeOffset NextWorkingMorning(DateTimeOffset now)
    {
        var day = now.UtcDateTime.Date.AddDays(1);
        while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            day = day.AddDays(1);
        }

        return new DateTimeOffset(day.AddHours(9), TimeSpan.Zero);
    }

    private sealed record Run(double Wall, double Cpu, long Commits, long Writes, IReadOnlyList<MorningReport> Reports);

    private static async Task<Run> MeasureAsync(SqlBatchWriter writer, Func<Task<IReadOnlyList<MorningReport>>> work)
    {
        GC.Collect();
        var (commits, writes) = (writer.Commits, writer.CommittedWrites);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var reports = await work();
        wall.Stop();
        return new Run(wall.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds,
            writer.Commits - commits, writer.CommittedWrites - writes, reports);
    }

    /// <summary>Each unit's grain remembers its day, so the second run goes past that check, to the reasons and the task ids.</summary>
    private static Task<Run> RunAgainAsync(BenchSilo silo, SqlBatchWriter writer) => MeasureAsync(writer, async () =>
    {
        var generator = silo.Services.GetRequiredService<MorningTaskGenerator>();
        var calendar = Crm.Grains.Calendars.WorkCalendar.Default;
        var clock = silo.Services.GetRequiredService<TimeProvider>();
        var today = calendar.LocalDate(clock.GetUtcNow());
        var units = await silo.Services.GetRequiredService<OrgTreeCache>().UnitIds();
        return await Task.WhenAll(units.Select(u => generator.RunAsync(u, today, calendar)));
    });
}
