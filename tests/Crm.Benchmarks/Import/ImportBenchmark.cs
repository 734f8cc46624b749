using System.Diagnostics;
using System.Text;
using Crm.Benchmarks.Common;
using Crm.Client;
using Crm.Server.Storage;
using Crm.Tests.Dedup;
using Crm.Tests.Infrastructure;

namespace Crm.Benchmarks.Import;

/// <summary>
/// A large lead import end to end, the old row-by-row path and the batched one: the real server in its own process on a fresh
/// embedded SQLite database, one CSV file posted to <c>/api/customers/import</c> by an admin, timed from the first
/// byte sent to the last byte of the report. Every N-th row repeats an earlier row's mobile (written another way),
/// so the dedup gate blocks something real. The report's counts and the pool's customer count are checked against
/// what the file holds. Providers run one after another on their own server, in the order given.
/// </summary>
public sealed class ImportBenchmark : IBenchmark
{
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭"];

    private static readonly string[] Titles = ["经理", "总", "先生", "女士", "主任"];

    public string Name => "import";

    public string Description => "one CSV lead import through the real server (own process, fresh SQLite), row by row and in batches, into a pool " +
                                 "that already holds N customers [--rows 100000 --paths rows,batches --existing 0,100000 --warmup 2000 --grain-storage GroupCommit --duplicates-every 50 --postgres --keep-data DIR --rule identity|all --restart --preloaded DIR]";

    public async Task RunAsync(string[] args)
    {
        var options = new BenchArgs(args);
        var rows = options.Int("rows", 100_000);
        var duplicatesEvery = options.Int("duplicates-every", 50);
        var provider = Enum.Parse<GrainStorageKind>(options.String("grain-storage") ?? "GroupCommit", ignoreCase: true);
        var paths = (options.String("paths") ?? "rows,batches").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var existing = (options.String("existing") ?? "0").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
        var warmup = options.Int("warmup", 2_000);
        var postgres = args.Contains("--postgres");
        var keepData = options.String("keep-data");
        // identity: the pool blocks on identity keys only, so the duplicates are exactly the planted repeats. all: every
        // standard rule on (identity keys and company names; exact and strong matches blocked, weak ones flagged), as a
        // team would set a pool up; the generated companies then also match each other by name now and then.
        var everyRule = (options.String("rule") ?? "identity") == "all";
        // --restart: after the import the server starts again on its data, and the dedup index's reload is timed (every
        // shard replays its log and writes it back as one base) and timed again once loaded.
        var restart = args.Contains("--restart");
        // --preloaded DIR: the existing customers' database is taken from DIR/N-existing when an earlier run left it there,
        // else preloaded and left there (the server is stopped and started again on it, so both kinds of run measure a server
        // restarted on a preloaded database). A 1M preload takes 7 minutes; copying its database, seconds.
        var preloadedData = options.String("preloaded");

        var file = LeadFile.Create(rows, duplicatesEvery, "13", 20_240_601);
        Console.WriteLine($"import: {rows:N0} rows, {file.DuplicateRows.Count:N0} repeat an earlier row's mobile, {file.Csv.Length / 1e6:N1} MB of CSV, " +
                          $"grain storage {provider}{(postgres ? " on PostgreSQL" : ", embedded SQLite")}, paths {string.Join(", ", paths)} (rows: one row at a time through the customer grains, " +
                          $"the old path; batches: the batched import), existing customers {string.Join(", ", existing)}, warm-up {warmup:N0} rows, " +
                          $"{Environment.ProcessorCount} cores, " +
                          $"load average {LoadAverage()}");
        Console.WriteLine($"server: {RepoPaths.ServerDll} (built {File.GetLastWriteTime(RepoPaths.ServerDll):yyyy-MM-dd HH:mm})");
        if (RepoPaths.Configuration != "Release")
        {
            // RepoPaths runs the server of the benchmark's own configuration.
            Console.WriteLine($"WARNING: this is a {RepoPaths.Configuration} build; build and run with -c Release for figures worth comparing.");
        }

        var results = new List<Result>();
        foreach (var count in existing)
        {
            foreach (var path in paths)
            {
                results.Add(await RunPathAsync(provider, path, count, file, warmup, postgres, keepData, everyRule, restart, preloadedData));
            }
        }

        Print(results);
    }

    /// <summary>Bytes the process has written through system calls (<c>wchar</c> of /proc/PID/io); 0 where there is no /proc.</summary>
    private static long Written(int processId)
    {
        var path = $"/proc/{processId}/io";
        return File.Exists(path)
            ? File.ReadLines(path).Where(l => l.StartsWith("wchar:", StringComparison.Ordinal)).Select(l => long.Parse(l[6..].Trim())).FirstOrDefault()
            : 0;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static async Task<Result> RunPathAsync(GrainStorageKind provider, string path, int existing, LeadFile file, int warmup, bool postgres, string? keepData,
        bool everyRule, bool restart, string? preloadedData)
    {
        Console.WriteLine($"{path}, {existing:N0} existing: starting the server on a fresh {(postgres ? "PostgreSQL database" : "data directory")} ...");
        using var data = new TempDirectory("crm-bench-import");
        // --postgres: a fresh database on the server of scripts/postgres.sh (or CRM_TEST_POSTGRES), dropped afterwards.
        await using var database = postgres ? await PostgresDatabase.CreateAsync() : null;
        var settings = new Dictionary<string, string>
        {
            ["Crm__Storage__GrainStorage"] = provider.ToString(),
            ["Crm__Import__Batched"] = (path != "rows").ToString(),
            ["Crm__Import__MaxRows"] = "1000000",
            ["Crm__Import__MaxBytes"] = (1024L * 1024 * 1024).ToString(),
        };
        foreach (var (key, value) in database?.ServerSettings() ?? [])
        {
            settings[key] = value;
        }

        var saved = preloadedData is null || postgres ? null : Path.Combine(preloadedData, $"{existing}-existing-{(everyRule ? "all" : "identity")}");
        if (saved is not null && Directory.Exists(saved))
        {
            var copying = Stopwatch.StartNew();
            CopyFiles(saved, data.Path);
            Console.WriteLine($"  database of {existing:N0} existing copied from {saved} in {copying.Elapsed.TotalSeconds:N0} s");
        }

        var server = await ServerProcess.StartAsync(data.Path, settings);
        try
        {
            var anonymous = server.Api();
            var admin = await anonymous.LoginAsAdminAsync();
            PoolDto pool;
            int preloaded;
            if (saved is not null && Directory.Exists(saved))
            {
                pool = (await admin.GetAsync<List<PoolDto>>("/api/pools")).Single(p => p.Name == "Imported leads");
                preloaded = (int)(await admin.GetAsync<Page<CustomerDto>>($"/api/customers?poolId={Uri.EscapeDataString(pool.Id)}&pageSize=1")).Total;
            }
            else
            {
                var unit = await admin.PostAsync<OrgUnitDto>("/api/org-units", new CreateOrgUnitRequest("Import benchmark"));
                // With the identity rule only identity keys decide, so the expected duplicates are exactly the repeated mobiles;
                // company names are still indexed for every customer as always, so the index does its full work.
                pool = await admin.PostAsync<PoolDto>("/api/pools", new CreatePoolRequest("Imported leads", unit.Id, new PoolRules { Dedup = Rule(everyRule) }));
                preloaded = await PreloadAsync(admin, pool.Id, existing);
                if (saved is not null)
                {
                    await server.StopAsync();
                    CopyFiles(data.Path, saved);
                    Console.WriteLine($"  database of {existing:N0} existing saved in {saved}; the server starts again on it");
                    await server.DisposeAsync();
                    server = await ServerProcess.StartAsync(data.Path, settings);
                    anonymous = server.Api();
                    admin = await anonymous.LoginAsAdminAsync();
                }
            }

            return await ImportAsync(server, admin, pool, preloaded);
        }
        catch
        {
            // A run that failed shows what the server said: its warnings and errors, then its last lines.
            var lines = server.Output.ToList();
            Console.WriteLine($"  the run failed; the server logged {lines.Count:N0} lines. Warnings, errors and the last 20:");
            foreach (var line in lines.Where(l => l.Contains(" warn: ") || l.Contains(" fail: ") || l.Contains(" crit: ")).Take(20).Concat(lines.TakeLast(20)))
            {
                Console.WriteLine($"    {line}");
            }

            throw;
        }
        finally
        {
            await server.DisposeAsync();
        }

        async Task<Result> ImportAsync(ServerProcess server, CrmApi admin, PoolDto pool, int preloaded)
        {
            await WarmUpAsync(server, admin, pool.OrgUnitId, warmup, everyRule);

            var linesBefore = server.Output.Count;
            var cpuBefore = server.ProcessorTime;
            var writtenBefore = Written(server.ProcessId);
            var load = LoadAverage();
            // Printed when the import starts, so that a profiler can attach to the server for the import only.
            Console.WriteLine($"{path}, {existing:N0} existing: importing (server pid {server.ProcessId}) ...");
            var clock = Stopwatch.StartNew();
            var body = await admin.SendAsync(HttpMethod.Post, $"/api/customers/import?poolId={Uri.EscapeDataString(pool.Id)}",
                new ByteArrayContent(file.Csv) { Headers = { ContentType = new("text/csv") { CharSet = "utf-8" } } },
                idempotencyKey: $"import-bench-{Guid.NewGuid():N}");
            clock.Stop();
            var cpu = server.ProcessorTime - cpuBefore;
            var written = Written(server.ProcessId) - writtenBefore;
            var report = CrmApi.Read<ImportReport>(body, "/api/customers/import");
            var inPool = (await admin.GetAsync<Page<CustomerDto>>($"/api/customers?poolId={Uri.EscapeDataString(pool.Id)}&pageSize=1")).Total - preloaded;
            var logged = server.Output.Skip(linesBefore).ToList();
            var rssMb = Process.GetProcessById(server.ProcessId).WorkingSet64 / 1_048_576;

            var stopping = Stopwatch.StartNew();
            await server.StopAsync();
            stopping.Stop();
            if (keepData is not null && !postgres)
            {
                // --keep-data: the stopped server's database, for a look at what it holds per customer (sqlite3's dbstat).
                var kept = Path.Combine(keepData, $"{path}-{existing}");
                CopyFiles(data.Path, kept);
                Console.WriteLine($"  data directory kept in {kept}");
            }

            var result = new Result($"{path}, {existing:N0} existing", file.Rows, clock.Elapsed, report, inPool, cpu, load, Check(file, report, inPool, everyRule));
            Console.WriteLine($"{result.Label}: {result.Rows:N0} rows in {result.Elapsed.TotalSeconds:N1} s = {result.RowsPerSecond:N0} rows/s; " +
                              $"created {report.Created:N0}, duplicates {report.Duplicates:N0}, rejected {report.Rejected:N0}, " +
                              $"flagged {report.Rows.Count(r => r.Status == "created" && r.DuplicateOf.Count > 0):N0}, new in pool {inPool:N0}; " +
                              $"server CPU {cpu.TotalSeconds:N1} s; " +
                              (postgres ? "" : $"server wrote {written / 1e6:N0} MB ({written / 1e3 / Math.Max(1, report.Created):N1} KB per customer created; SQLite's WAL and checkpoints included); ") +
                              $"server RSS after the import {rssMb:N0} MB; load average before {load}, after {LoadAverage()}; graceful stop {stopping.Elapsed.TotalSeconds:N1} s");
            Console.WriteLine($"  decisions digest {DecisionDigest(report)} (every row's status and matches: builds that decide alike print the same)");
            DescribeLog(logged);
            if (restart)
            {
                await RestartAsync(data.Path, settings);
            }

            foreach (var failure in result.Failures)
            {
                Console.WriteLine($"FAIL {result.Label}: {failure}");
            }

            return result;
        }
    }

    private static void CopyFiles(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var name in Directory.GetFiles(from))
        {
            File.Copy(name, Path.Combine(to, Path.GetFileName(name)), overwrite: true);
        }
    }

    /// <summary>
    /// The server started again on the data of the run: the admin status asks every index shard for its size, which
    /// activates them all, so its first answer waits for every shard's log to be replayed (and, after a big import, written
    /// back as one base); the second answer is the loaded index's.
    /// </summary>
    private static async Task RestartAsync(string dataPath, Dictionary<string, string> settings)
    {
        var started = Stopwatch.StartNew();
        await using var server = await ServerProcess.StartAsync(dataPath, settings);
        var up = started.Elapsed;
        using var anonymous = server.Api();
        using var admin = await anonymous.LoginAsAdminAsync();
        var cpu = server.ProcessorTime;
        var first = Stopwatch.StartNew();
        var status = await admin.GetAsync<DedupStatusDto>("/api/admin/dedup/status");
        first.Stop();
        var loadCpu = server.ProcessorTime - cpu;
        var again = Stopwatch.StartNew();
        await admin.GetAsync<DedupStatusDto>("/api/admin/dedup/status");
        again.Stop();
        var rssMb = Process.GetProcessById(server.ProcessId).WorkingSet64 / 1_048_576;
        var stopping = Stopwatch.StartNew();
        await server.StopAsync();
        Console.WriteLine($"  restart: server up in {up.TotalSeconds:N1} s; dedup index of {status.Index.Customers:N0} customers and {status.Index.Keys:N0} keys " +
                          $"loaded in {first.Elapsed.TotalSeconds:N1} s ({loadCpu.TotalSeconds:N1} s of CPU), asked again {again.Elapsed.TotalMilliseconds:N0} ms; " +
                          $"RSS {rssMb:N0} MB; graceful stop {stopping.Elapsed.TotalSeconds:N1} s");
    }

    /// <summary>
    /// Fills the pool with <paramref name="existing"/> customers before the timed import, through the batched import in
    /// files of 100,000 (mobiles from another range, so none of them is a planted duplicate of the timed file). Returns how
    /// many were created: a few rows of the generated files are duplicates of each other and are blocked.
    /// </summary>
    private static async Task<int> PreloadAsync(CrmApi admin, string poolId, int existing)
    {
        var clock = Stopwatch.StartNew();
        var created = 0;
        for (var done = 0; done < existing; done += 100_000)
        {
            // Each file's emails get a prefix of their own: the company generator's emails repeat across seeds, and the
            // identity-keys rule would block a quarter of the second file as duplicates of the first.
            var part = LeadFile.Create(Math.Min(100_000, existing - done), 0, "15", 7_000 + done, emailPrefix: $"15f{done / 100_000}.");
            var body = await admin.SendAsync(HttpMethod.Post, $"/api/customers/import?poolId={Uri.EscapeDataString(poolId)}",
                new ByteArrayContent(part.Csv) { Headers = { ContentType = new("text/csv") { CharSet = "utf-8" } } }, idempotencyKey: $"preload-{done}");
            var report = CrmApi.Read<ImportReport>(body, "/api/customers/import");
            created += report.Created;
            Console.WriteLine($"  preloaded {created:N0} of {existing:N0} ({report.Duplicates:N0} duplicates in this file) in {clock.Elapsed.TotalSeconds:N0} s");
        }

        return created;
    }

    /// <summary>
    /// The same warm-up for either path: an import of <paramref name="rows"/> rows of the same shape into a pool of its own
    /// (mobiles from another range), then the server settles (its JIT's tier-1 compiles run in the background). Without it
    /// a 20,000-row import spent a third of the server's CPU in the JIT (perf, 3 December).
    /// </summary>
    private static DedupRule Rule(bool everyRule) => everyRule
        ? new DedupRule(["identity-keys", "company-name"], "block") { Actions = new Dictionary<string, string> { ["weak"] = "flag" } }
        : new DedupRule(["identity-keys"], "block");

    private static async Task WarmUpAsync(ServerProcess server, CrmApi admin, string unitId, int rows, bool everyRule)
    {
        if (rows <= 0)
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        var pool = await admin.PostAsync<PoolDto>("/api/pools", new CreatePoolRequest("Warm-up", unitId, new PoolRules { Dedup = Rule(everyRule) }));
        var part = LeadFile.Create(rows, 50, "17", 3_000);
        var body = await admin.SendAsync(HttpMethod.Post, $"/api/customers/import?poolId={Uri.EscapeDataString(pool.Id)}",
            new ByteArrayContent(part.Csv) { Headers = { ContentType = new("text/csv") { CharSet = "utf-8" } } }, idempotencyKey: $"warm-up-{Guid.NewGuid():N}");
        var report = CrmApi.Read<ImportReport>(body, "/api/customers/import");
        Console.WriteLine($"  warm-up: {report.Total:N0} rows into a pool of their own in {clock.Elapsed.TotalSeconds:N0} s");
        for (var settle = Stopwatch.StartNew(); settle.Elapsed < TimeSpan.FromMinutes(1);)
        {
            var before = server.ProcessorTime;
            await Task.Delay(TimeSpan.FromSeconds(1));
            if (server.ProcessorTime - before < TimeSpan.FromMilliseconds(50))
            {
                Console.WriteLine($"  server settled after the warm-up in {settle.Elapsed.TotalSeconds:N0} s");
                return;
            }
        }

        Console.WriteLine("  server still busy a minute after the warm-up");
    }

    private static List<string> Check(LeadFile file, ImportReport report, long inPool, bool everyRule)
    {
        var expectedDuplicates = file.DuplicateRows.Count;
        var failures = new List<string>();
        if (report.Total != file.Rows)
        {
            failures.Add($"the report has {report.Total:N0} rows, the file {file.Rows:N0}");
        }

        if (report.Created + report.Duplicates + report.Rejected != file.Rows)
        {
            failures.Add($"created {report.Created:N0} + duplicates {report.Duplicates:N0} + rejected {report.Rejected:N0} is not the file's {file.Rows:N0} rows");
        }

        // The right count of the wrong rows would hide a gate that blocks one lead and lets its copy through.
        var blocked = report.Rows.Where(r => r.Status == "duplicate").Select(r => r.Row).ToHashSet();
        if (everyRule)
        {
            // Company names decide too: every planted repeat blocked, unless the row it repeats was itself blocked by a name
            // (then nothing with its mobile was stored); other rows blocked by a name are counted, not wrong.
            var letThrough = file.DuplicateRows.Where(r => !blocked.Contains(r) && !blocked.Contains(file.OriginalOf[r])).ToList();
            if (letThrough.Count > 0)
            {
                failures.Add($"{letThrough.Count:N0} repeats let through (rows {string.Join(", ", letThrough.Take(5))})");
            }

            Console.WriteLine($"  every rule on: {blocked.Count - expectedDuplicates:N0} rows blocked beyond the planted repeats (a company name matched), " +
                              $"{report.Rows.Count(r => r.Status == "created" && r.DuplicateOf.Count > 0):N0} created and flagged");
        }
        else if (!blocked.SetEquals(file.DuplicateRows))
        {
            failures.Add($"{blocked.Except(file.DuplicateRows).Count():N0} rows blocked that should not be, {file.DuplicateRows.Except(blocked).Count():N0} repeats let through");
        }

        if (report.Rejected != 0)
        {
            var first = report.Rows.First(r => r.Status == "rejected");
            failures.Add($"rejected {report.Rejected:N0}, expected 0 (row {first.Row}: {first.Code} " +
                         $"{string.Join("; ", first.Errors?.Select(e => $"{e.Key}: {string.Join(' ', e.Value)}") ?? [])})");
        }

        if (inPool != report.Created)
        {
            failures.Add($"the pool lists {inPool:N0} customers, the report created {report.Created:N0}");
        }

        return failures;
    }

    /// <summary>
    /// A digest of what every row was decided: its status and each match (the earlier row of the file it names, or
    /// "existing"; the key kind, strength and score). The counts alone do not tell an exact tax-id match from a
    /// company-name one: a change to the gate that keeps them but moves a match shows here. Ids of customers outside the
    /// file are left out, as a warm-up's differ from run to run.
    /// </summary>
    private static string DecisionDigest(ImportReport report)
    {
        var text = new System.Text.StringBuilder();
        foreach (var row in report.Rows)
        {
            text.Append(row.Row).Append(' ').Append(row.Status);
            foreach (var match in row.DuplicateOf.OrderBy(m => m.Row ?? -1).ThenBy(m => m.KeyKind, StringComparer.Ordinal).ThenBy(m => m.Score))
            {
                text.Append(' ').Append(match.Row?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "existing").Append(':').Append(match.KeyKind)
                    .Append(':').Append(match.Strength).Append(':').Append(match.Score.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture));
            }

            text.Append('\n');
        }

        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    /// <summary>What the server logged while it imported: how much, and its warnings and errors, which would cost time too.</summary>
    private static void DescribeLog(IReadOnlyList<string> lines)
    {
        var problems = lines.Where(l => l.Contains(" warn: ") || l.Contains(" fail: ") || l.Contains(" crit: ")).ToList();
        Console.WriteLine($"  server log during the import: {lines.Count:N0} lines, {problems.Count:N0} warnings or errors");
        // A single-line console entry reads "time level: category[event] message".
        var sources = lines.Select(l => l.Split(' ', 4)).Where(p => p.Length >= 3 && p[1].EndsWith(':'))
            .GroupBy(p => $"{p[1]} {p[2]}").OrderByDescending(g => g.Count()).Take(3);
        foreach (var source in sources)
        {
            Console.WriteLine($"    {source.Count(),8:N0} x {source.Key}   e.g. {source.First().ElementAtOrDefault(3)}");
        }

        // The importer's own account of where the wall time went (BatchImporter: ms per phase, summed over batches).
        foreach (var line in lines.Where(l => l.Contains("ms per phase", StringComparison.Ordinal)))
        {
            Console.WriteLine($"    {line[(line.IndexOf("ms per phase", StringComparison.Ordinal))..]}");
        }

        foreach (var line in problems.Take(5))
        {
            Console.WriteLine($"    {(line.Length > 300 ? line[..300] + " ..." : line)}");
        }
    }

    private static void Print(List<Result> results)
    {
        Console.WriteLine();
        Console.WriteLine($"{"path, existing",-26}{"rows",10}{"seconds",10}{"rows/s",10}{"created",10}{"duplicates",12}{"rejected",10}{"new in pool",12}{"server CPU s",14}{"CPU µs/row",12}  load average");
        foreach (var r in results)
        {
            Console.WriteLine($"{r.Label,-26}{r.Rows,10:N0}{r.Elapsed.TotalSeconds,10:N1}{r.RowsPerSecond,10:N0}{r.Report.Created,10:N0}{r.Report.Duplicates,12:N0}" +
                              $"{r.Report.Rejected,10:N0}{r.InPool,12:N0}{r.ServerCpu.TotalSeconds,14:N1}{r.ServerCpu.TotalMicroseconds / Math.Max(1, r.Rows),12:N0}  {r.Load}");
        }

        foreach (var group in results.GroupBy(r => r.Label[(r.Label.IndexOf(',') + 1)..]))
        {
            var before = group.FirstOrDefault(r => r.Label.StartsWith("rows,"));
            var after = group.FirstOrDefault(r => r.Label.StartsWith("batches,"));
            if (before is not null && after is not null)
            {
                Console.WriteLine($"batches / rows at{group.Key}: {after.RowsPerSecond / before.RowsPerSecond:N1}x rows/s, " +
                                  $"{before.ServerCpu.TotalMicroseconds / Math.Max(1, after.ServerCpu.TotalMicroseconds):N1}x less server CPU");
            }
        }

        var failures = results.Sum(r => r.Failures.Count);
        Console.WriteLine(failures == 0 ? "checks: all counts as expected (ok)" : $"FAIL: {failures} check(s) failed, see above");
    }

    private sealed record Result(string Label, int Rows, TimeSpan Elapsed, ImportReport Report, long InPool, TimeSpan ServerCpu, string Load, List<string> Failures)
    {
        public double RowsPerSecond => Rows / Elapsed.TotalSeconds;
    }

    /// <summary>
    /// The file a sales team uploads: Chinese headers, distinct companies, contacts, mobiles and e-mails; every N-th
    /// row repeats the mobile of an earlier row that creates a customer (<see cref="OriginalOf"/>). <see cref="DuplicateRows"/> holds the row
    /// numbers as the report counts them (the header is row 1).
    /// </summary>
    private sealed record LeadFile(byte[] Csv, int Rows, HashSet<int> DuplicateRows, Dictionary<int, int> OriginalOf)
    {
        public static LeadFile Create(int rows, int duplicatesEvery, string mobilePrefix, int seed, string? emailPrefix = null)
        {
            var companies = new CompanyGenerator(seed: seed);
            var random = new Random(seed);
            var mobiles = new HashSet<string>();
            var createdMobiles = new List<(string Mobile, int Row)>(rows);
            var duplicateRows = new HashSet<int>();
            var originalOf = new Dictionary<int, int>();
            var csv = new StringBuilder(rows * 110).Append("公司名称,联系人,手机,邮箱\n");
            for (var i = 1; i <= rows; i++)
            {
                var company = companies.Next();
                var card = companies.Original(company, "");
                string phone;
                if (duplicatesEvery > 0 && i % duplicatesEvery == 0 && createdMobiles.Count > 0)
                {
                    // The same mobile without country code or spaces: the gate must normalise both to one key.
                    var original = createdMobiles[random.Next(createdMobiles.Count)];
                    phone = original.Mobile;
                    duplicateRows.Add(i + 1);
                    originalOf[i + 1] = original.Row;
                }
                else
                {
                    // The generator's mobiles are random and may repeat in a large file; these never do.
                    string mobile;
                    do
                    {
                        mobile = $"{mobilePrefix}{random.Next(10)}{random.Next(10_000_000, 100_000_000)}";
                    }
                    while (!mobiles.Add(mobile));

                    createdMobiles.Add((mobile, i + 1));
                    phone = $"+86 {mobile[..3]} {mobile[3..7]} {mobile[7..]}";
                }

                var contact = Surnames[random.Next(Surnames.Length)] + Titles[random.Next(Titles.Length)];
                csv.Append(Field(card.Company!)).Append(',').Append(contact).Append(',').Append(phone).Append(',').Append(Field((emailPrefix ?? mobilePrefix) + card.Email!)).Append('\n');
            }

            return new LeadFile(new UTF8Encoding(false).GetBytes(csv.ToString()), rows, duplicateRows, originalOf);
        }

        /// <summary>Latin company names carry commas ("Co., Ltd."), so fields are quoted when they need it.</summary>
        private static string Field(string value) =>
            value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
    }
}
