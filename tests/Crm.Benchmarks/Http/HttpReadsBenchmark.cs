using Crm.Benchmarks.Common;
using Crm.Benchmarks.EventLog;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Benchmarks.Http;

/// <summary>
/// The request path under load: the real server process (embedded SQLite, fresh data directory) answering the reads a
/// rep's app makes all day, each driven by wrk with 64 connections for the same time after the same warm-up. Every
/// figure is set against the anonymous 404 measured in the same run (the cost of Kestrel and routing alone), as the
/// request-path issue states its bars: authenticated 404 ≥ 80 %, one customer ≥ 50 %, a private-pool page ≥ 40 %.
/// </summary>
public sealed class HttpReadsBenchmark : IBenchmark
{
    public string Name => "http";

    public string Description => "Reads over HTTP (wrk, rep tokens) against the real server: anonymous 404 baseline, authenticated 404, /health, " +
                                 "org units, a private-pool page, one customer, a timeline; ratios to the baseline " +
                                 "[--customers 2000 --reps 100 --connections 64 --threads 2 --seconds 10 --warm-up 3 --only name,name --perf <file.data> --perf-route customer]";

    public async Task RunAsync(string[] args)
    {
        var options = new BenchArgs(args);
        var customers = options.Int("customers", 2_000);
        var reps = options.Int("reps", 100);
        var connections = options.Int("connections", 64);
        var threads = options.Int("threads", 2);
        var seconds = options.Int("seconds", 10);
        var warmUp = options.Int("warm-up", 3);
        var only = options.String("only")?.Split(',');
        var perf = options.String("perf");
        var perfRoute = options.String("perf-route") ?? "customer";
        if (!File.Exists("/usr/bin/wrk"))
        {
            Console.WriteLine("http needs wrk (apt-get install wrk)");
            return;
        }

        Console.WriteLine($"http: {customers:N0} customers owned by {reps} reps, wrk {threads} threads {connections} connections, " +
                          $"{warmUp} s warm-up + {seconds} s per route, {Environment.ProcessorCount} cores, load average {HistoryBenchmark.LoadAverage()}");
        if (RepoPaths.Configuration != "Release")
        {
            Console.WriteLine($"WARNING: this is a {RepoPaths.Configuration} build; build and run with -c Release for figures worth comparing.");
        }

        using var data = new TempDirectory("crm-bench-http");
        var work = Directory.CreateDirectory(Path.Combine(data.Path, "wrk")).FullName;
        // With --perf the server writes its JIT map for perf, and the measured run of --perf-route is sampled.
        await using var server = await ServerProcess.StartAsync(Path.Combine(data.Path, "server"),
            perf is null ? null : new Dictionary<string, string> { ["DOTNET_PerfMapEnabled"] = "1" });
        var owned = await FollowUpStormBenchmark.SetUpAsync(server, customers, reps);
        var ownerOf = await OwnersAsync(server, owned);
        await File.WriteAllTextAsync(Path.Combine(work, "get.lua"), GetScript);

        var routes = new (string Name, string Label, Func<(Guid Customer, string Token, string Rep), string?> Line)[]
        {
            ("anonymous-404", "GET /nope, anonymous 404 (baseline)", _ => "/nope -"),
            ("auth-404", "GET /api/nope, rep token, 404", t => $"/api/nope {t.Token}"),
            ("health", "GET /health", _ => "/health -"),
            ("org-units", "GET /api/org-units (rep)", t => $"/api/org-units {t.Token}"),
            ("private-pool", "GET /api/reps/{id}/customers (page 1)", t => $"/api/reps/{t.Rep}/customers {t.Token}"),
            ("customer", "GET /api/customers/{id} (own)", t => $"/api/customers/{t.Customer} {t.Token}"),
            ("timeline", "GET /api/customers/{id}/timeline", t => $"/api/customers/{t.Customer}/timeline {t.Token}"),
        };

        var url = server.BaseAddress.ToString().TrimEnd('/');
        var results = new List<(string Label, Wrk.WrkResult Result)>();
        foreach (var route in routes.Where(r => only is null || r.Name == "anonymous-404" || only.Contains(r.Name)))
        {
            var file = Path.Combine(work, route.Name + ".txt");
            await File.WriteAllLinesAsync(file, owned.Select(o => route.Line((o.CustomerId, o.Token, ownerOf[o.CustomerId]))).Distinct()!);
            await Wrk.RunAsync(work, "get.lua", url, threads, connections, warmUp, [file], server);
            var profiling = perf is not null && route.Name == perfRoute ? FollowUpStormBenchmark.Profile(server, perf, seconds) : Task.CompletedTask;
            var result = await Wrk.RunAsync(work, "get.lua", url, threads, connections, seconds, [file], server);
            await profiling;
            results.Add((route.Label, result));
        }

        var baseline = results[0].Result.PerSecond;
        Console.WriteLine();
        Console.WriteLine($"{"request",-42}{"requests/s",12}{"of 404",8}{"p50 ms",9}{"p99 ms",9}{"server CPU/req",16}");
        foreach (var (label, r) in results)
        {
            Console.WriteLine($"{label,-42}{r.PerSecond,12:N0}{r.PerSecond / baseline,8:P0}{r.P50,9:N2}{r.P99,9:N2}{r.ServerCpuMicros,13:N0} µs");
        }

        Console.WriteLine();
        Bar(results, "GET /api/nope, rep token, 404", 0.8, baseline);
        Bar(results, "GET /api/customers/{id} (own)", 0.5, baseline);
        Bar(results, "GET /api/reps/{id}/customers (page 1)", 0.4, baseline);
        Console.WriteLine($"load average at the end {HistoryBenchmark.LoadAverage()}; wrk shares the 2 cores with the server, so every figure includes its cost");
    }

    private static void Bar(List<(string Label, Wrk.WrkResult Result)> results, string label, double bar, double baseline)
    {
        if (results.FirstOrDefault(r => r.Label == label) is { Result: { } r })
        {
            Console.WriteLine($"{label}: {r.PerSecond / baseline:P0} of the anonymous 404 (bar {bar:P0}): {(r.PerSecond / baseline >= bar ? "met" : "NOT met")}");
        }
    }

    private static async Task<Dictionary<Guid, string>> OwnersAsync(ServerProcess server, List<(Guid CustomerId, string Token)> owned)
    {
        using var anonymous = server.Api();
        using var admin = await anonymous.LoginAsAdminAsync();
        var owners = new Dictionary<Guid, string>();
        foreach (var (id, _) in owned.DistinctBy(o => o.Token))
        {
            var customer = await admin.GetAsync<CustomerDto>($"/api/customers/{id}");
            owners[id] = customer.OwnerId!;
        }

        var ownerByToken = owned.DistinctBy(o => o.Token).ToDictionary(o => o.Token, o => owners[o.CustomerId]);
        return owned.ToDictionary(o => o.CustomerId, o => ownerByToken[o.Token]);
    }

    // Each thread reads "path token" lines (token "-": anonymous) and asks a random one per request.
    internal const string GetScript = """
        local threads = {}
        local targets = {}
        statuses = {}

        function setup(thread)
          table.insert(threads, thread)
          thread:set("tid", #threads)
        end

        function init(args)
          for line in io.lines(args[1]) do
            local path, token = line:match("^(%S+) (%S+)$")
            local headers = {}
            if token ~= "-" then headers["Authorization"] = "Bearer " .. token end
            targets[#targets + 1] = { path, headers }
          end
          math.randomseed(tid * 7919 + os.time())
        end

        function request()
          local t = targets[math.random(#targets)]
          return wrk.format("GET", t[1], t[2])
        end

        function response(status, headers, body)
          statuses[status] = (statuses[status] or 0) + 1
        end

        function done(summary, latency, requests)
          local all = {}
          for _, thread in ipairs(threads) do
            for code, n in pairs(thread:get("statuses")) do all[code] = (all[code] or 0) + n end
          end
          local line = ""
          for code, n in pairs(all) do line = line .. code .. ": " .. n .. " " end
          io.write("statuses ", line, "\n")
        end
        """;
}
