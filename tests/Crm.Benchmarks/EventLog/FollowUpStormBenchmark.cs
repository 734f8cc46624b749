using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using Crm.Benchmarks.Common;
using Crm.Client;
using Crm.Grains.Storage;
using Crm.Tests.Infrastructure;
using Dapper;

namespace Crm.Benchmarks.EventLog;

/// <summary>
/// A follow-up storm over HTTP against the real server process (embedded SQLite, fresh data directory): many customers
/// owned by many reps, 64 connections posting follow-ups with each rep's own token, driven by wrk (a C load generator,
/// cheaper on CPU than one in .NET; on a 2-core machine it still competes with the server for the CPU). Baseline in the
/// same run: the same storm on an authenticated route that answers 404 (GET /api/nope with a rep token), the ceiling of
/// the request path without any grain or database work. Then the server is killed with SIGKILL, started again on the
/// same data directory, and every follow-up wrk saw acknowledged (201; each carries a unique text, which the answer
/// echoes) is looked for in customer_events.
/// </summary>
public sealed class FollowUpStormBenchmark : IBenchmark
{
    public string Name => "followup-storm";

    public string Description => "HTTP follow-up storm (wrk, 64 connections, rep tokens) against the real server, vs the authenticated 404 route; " +
                                 "then kill -9, restart, and every acknowledged follow-up is checked " +
                                 "[--customers 2000 --reps 100 --connections 64 --threads 2 --seconds 15 --warm-up 5 --perf <file.data> --set Key=Value,...]";

    public async Task RunAsync(string[] args)
    {
        var options = new BenchArgs(args);
        var customers = options.Int("customers", 2_000);
        var reps = options.Int("reps", 100);
        var connections = options.Int("connections", 64);
        var threads = options.Int("threads", 2);
        var seconds = options.Int("seconds", 15);
        var warmUp = options.Int("warm-up", 5);
        var perf = options.String("perf");
        if (!File.Exists("/usr/bin/wrk"))
        {
            Console.WriteLine("followup-storm needs wrk (apt-get install wrk)");
            return;
        }

        Console.WriteLine($"followup-storm: {customers:N0} customers owned by {reps} reps, wrk {threads} threads {connections} connections, " +
                          $"{warmUp} s warm-up + {seconds} s per storm, {Environment.ProcessorCount} cores, load average {HistoryBenchmark.LoadAverage()}");
        Console.WriteLine($"server: {RepoPaths.ServerDll} (built {File.GetLastWriteTime(RepoPaths.ServerDll):yyyy-MM-dd HH:mm})");
        if (RepoPaths.Configuration != "Release")
        {
            Console.WriteLine($"WARNING: this is a {RepoPaths.Configuration} build; build and run with -c Release for figures worth comparing.");
        }

        using var data = new TempDirectory("crm-bench-storm");
        var work = Directory.CreateDirectory(Path.Combine(data.Path, "wrk")).FullName;
        var settings = new Dictionary<string, string>();
        if (perf is not null)
        {
            settings["DOTNET_PerfMapEnabled"] = "1";
        }

        // Server settings to try a change without rebuilding, e.g. --set Logging__LogLevel__Crm.Requests=Warning
        foreach (var pair in (options.String("set") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            settings[pair[..pair.IndexOf('=')]] = pair[(pair.IndexOf('=') + 1)..];
            Console.WriteLine($"server setting {pair}");
        }

        var server = await ServerProcess.StartAsync(Path.Combine(data.Path, "server"), settings);
        Console.WriteLine($"load average before the storms {HistoryBenchmark.LoadAverage()}");
        try
        {
            var targets = await SetUpAsync(server, customers, reps);
            var targetsFile = Path.Combine(work, "targets.txt");
            await File.WriteAllLinesAsync(targetsFile, targets.Select(t => $"{t.CustomerId} {t.Token}"));
            await File.WriteAllTextAsync(Path.Combine(work, "followup.lua"), FollowUpScript);
            await File.WriteAllTextAsync(Path.Combine(work, "nope.lua"), NopeScript);
            var url = server.BaseAddress.ToString().TrimEnd('/');

            // Baseline first, so the kill follows the follow-up storm directly.
            await Wrk.RunAsync(work, "nope.lua", url, threads, connections, warmUp, [targetsFile], server);
            var nope = await Wrk.RunAsync(work, "nope.lua", url, threads, connections, seconds, [targetsFile], server);
            Console.WriteLine($"  GET /api/nope (404):        {nope}");
            await Wrk.RunAsync(work, "followup.lua", url, threads, connections, warmUp, [targetsFile, Path.Combine(work, "acked-warm")], server);
            var linesBefore = server.Output.Count;
            Task? profiling = perf is null ? null : Profile(server, perf, seconds);
            var storm = await Wrk.RunAsync(work, "followup.lua", url, threads, connections, seconds, [targetsFile, Path.Combine(work, "acked")], server);
            await server.KillAsync(); // SIGKILL as soon as the load generator stops
            Console.WriteLine($"  POST follow-ups (201):      {storm}");
            var logged = server.Output.Skip(linesBefore).ToList();
            if (profiling is not null)
            {
                await profiling;
            }

            var acked = Directory.GetFiles(work, "acked*.txt").SelectMany(File.ReadLines).Where(l => l.Length > 0).ToList();
            await using var restarted = await ServerProcess.StartAsync(Path.Combine(data.Path, "server"));
            var found = await FollowUpTextsAsync(Path.Combine(data.Path, "server"));
            var missing = acked.Where(t => !found.Contains(t)).ToList();
            const int seeded = 0;

            Console.WriteLine();
            Console.WriteLine($"{"storm",-34}{"requests/s",12}{"p50 ms",9}{"p99 ms",9}{"answers",10}{"server CPU/req",16}{"wrk CPU/req",13}");
            Console.WriteLine($"{"GET /api/nope, 404 (baseline)",-34}{nope.PerSecond,12:N0}{nope.P50,9:N2}{nope.P99,9:N2}{nope.Requests,10:N0}{nope.ServerCpuMicros,13:N0} µs{nope.WrkCpuMicros,10:N0} µs");
            Console.WriteLine($"{"POST follow-ups, 201 (durable)",-34}{storm.Acked / storm.Seconds,12:N0}{storm.P50,9:N2}{storm.P99,9:N2}{storm.Acked,10:N0}{storm.ServerCpuMicros,13:N0} µs{storm.WrkCpuMicros,10:N0} µs");
            Console.WriteLine($"follow-ups: {storm.Acked / storm.Seconds:N0}/s durable = {storm.Acked / storm.Seconds / nope.PerSecond:P0} of the 404 ceiling " +
                              $"({nope.PerSecond:N0}/s); target >= 9,000/s: {(storm.Acked / storm.Seconds >= 9_000 ? "met" : "NOT met")}, p99 < 50 ms: {(storm.P99 < 50 ? "met" : "NOT met")}; " +
                              $"other answers {storm.Requests - storm.Acked:N0}; server log lines during the storm {logged.Count:N0}");
            Console.WriteLine($"kill -9 and restart: acknowledged {acked.Count:N0} (warm-up and storm), found {found.Count - seeded:N0} follow-ups in customer_events, " +
                              $"missing {missing.Count:N0}{(missing.Count == 0 ? " (ok)" : " FAIL: " + string.Join(", ", missing.Take(5)))}; " +
                              $"{found.Count - seeded - acked.Count:N0} committed but unanswered when wrk stopped");
            foreach (var line in logged.Take(4))
            {
                Console.WriteLine($"  server log sample: {line}");
            }

            Console.WriteLine($"load average at the end {HistoryBenchmark.LoadAverage()}");
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    internal static async Task<List<(Guid CustomerId, string Token)>> SetUpAsync(ServerProcess server, int customers, int reps)
    {
        var clock = Stopwatch.StartNew();
        using var anonymous = server.Api();
        using var admin = await anonymous.LoginAsAdminAsync();
        var unit = await admin.PostAsync<OrgUnitDto>("/api/org-units", new CreateOrgUnitRequest("Storm benchmark"));
        var pool = await admin.PostAsync<PoolDto>("/api/pools", new CreatePoolRequest("Storm leads", unit.Id, new PoolRules()));
        var users = new List<UserDto>();
        for (var r = 0; r < reps; r++)
        {
            users.Add(await admin.PostAsync<UserDto>("/api/users", new CreateUserRequest($"storm-rep-{r}", "rep-Passw0rd!", $"Storm rep {r}", Role.Rep, unit.Id)));
        }

        var tokens = new Dictionary<string, string>();
        foreach (var user in users)
        {
            tokens[user.Id] = (await anonymous.PostAsync<TokenResponse>("/api/auth/token", new TokenRequest(user.UserName, "rep-Passw0rd!"))).AccessToken;
        }

        using (var probe = new HttpClient { BaseAddress = server.BaseAddress })
        {
            probe.DefaultRequestHeaders.Authorization = new("Bearer", tokens[users[0].Id]);
            var status = (await probe.GetAsync("/api/nope")).StatusCode;
            Console.WriteLine($"GET /api/nope with a rep token answers {(int)status} {status} (the baseline must be 404, not 401)");
        }

        var targets = new (Guid, string)[customers];
        await Latencies.RunAsync(Enumerable.Range(0, customers).ToArray(), 32, async i =>
        {
            var owner = users[i % reps];
            var created = await admin.PostAsync<CustomerDto>("/api/customers", new CreateCustomerRequest($"Storm lead {i}", $"Storm Co. {i}",
                $"139{i:D8}", PoolId: pool.Id, OwnerId: owner.Id));
            targets[i] = (created.Id, tokens[owner.Id]);
        });
        Console.WriteLine($"set up {reps} reps and {customers:N0} owned customers in {clock.Elapsed.TotalSeconds:N1} s");
        return targets.ToList();
    }

    /// <summary>perf record of the server during the storm (needs DOTNET_PerfMapEnabled, set when --perf is given).</summary>
    internal static Task Profile(ServerProcess server, string file, int seconds)
    {
        var pid = ((Process)typeof(ServerProcess).GetField("_process", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(server)!).Id;
        var perf = Process.Start("perf", ["record", "-F", "999", "-g", "-p", pid.ToString(), "-o", Path.GetFullPath(file), "--", "sleep", (seconds - 2).ToString()]);
        Console.WriteLine($"    perf record of server pid {pid} into {Path.GetFullPath(file)} (perf map /tmp/perf-{pid}.map)");
        return perf.WaitForExitAsync();
    }

    private static async Task<HashSet<string>> FollowUpTextsAsync(string dataDirectory)
    {
        var database = new CrmDatabase(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(dataDirectory, "crm.db")};Mode=ReadOnly");
        await using var connection = await database.OpenAsync();
        var texts = await connection.QueryAsync<string>("SELECT json_extract(data, '$.text') FROM customer_events WHERE kind = 'follow-up'");
        return texts.Where(t => t is not null).ToHashSet();
    }

    // Each thread picks a random (customer, owner's token) pair per request and writes the unique text of every
    // follow-up answered 201 to its own file, line-buffered, so that nothing is lost when wrk exits.
    private const string FollowUpScript = """
        local threads = {}
        local counter = 0
        local targets = {}
        acked = 0      -- globals: done() reads them from each thread
        statuses = {}

        function setup(thread)
          table.insert(threads, thread)
          thread:set("tid", #threads)
        end

        function init(args)
          for line in io.lines(args[1]) do
            local id, token = line:match("^(%S+) (%S+)$")
            targets[#targets + 1] = { "/api/customers/" .. id .. "/follow-ups", "Bearer " .. token }
          end
          math.randomseed(tid * 7919 + os.time())
          out = io.open(args[2] .. "-" .. tid .. ".txt", "a")
          out:setvbuf("line")
        end

        function request()
          local t = targets[math.random(#targets)]
          counter = counter + 1
          local body = '{"type":"call","outcome":"reached","text":"' .. string.format("t%d-%d-%d", tid, os.time(), counter) .. '"}'
          return wrk.format("POST", t[1], { ["Authorization"] = t[2], ["Content-Type"] = "application/json" }, body)
        end

        function response(status, headers, body)
          statuses[status] = (statuses[status] or 0) + 1
          if status == 201 then
            acked = acked + 1
            out:write(body:match('"text":"([^"]+)"'), "\n")
          end
        end

        function done(summary, latency, requests)
          local total, all = 0, {}
          for _, thread in ipairs(threads) do
            total = total + thread:get("acked")
            for code, n in pairs(thread:get("statuses")) do all[code] = (all[code] or 0) + n end
          end
          local line = ""
          for code, n in pairs(all) do line = line .. code .. ": " .. n .. " " end
          io.write("acked ", total, "\n", "statuses ", line, "\n")
        end
        """;

    private const string NopeScript = """
        local threads = {}
        local tokens = {}

        function setup(thread)
          table.insert(threads, thread)
          thread:set("tid", #threads)
        end

        function init(args)
          local seen = {}
          for line in io.lines(args[1]) do
            local token = line:match("^%S+ (%S+)$")
            if not seen[token] then seen[token] = true; tokens[#tokens + 1] = "Bearer " .. token end
          end
          math.randomseed(tid * 7919 + os.time())
        end

        function request()
          return wrk.format("GET", "/api/nope", { ["Authorization"] = tokens[math.random(#tokens)] })
        end
        """;
}
