using System.Net;
using System.Security.Cryptography;
using System.Text;
using Crm.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Crm.Tests.Api;

/// <summary>
/// Bounded input, checked from the outside: the OpenAPI document names a bound for every string, list, map and
/// number of every request body, and for every route with a JSON body, a value past each bound answers 400 naming
/// the field, while the database stays as it was. Routes whose body is not JSON cannot be probed from the document:
/// <c>POST /api/customers/import</c> (CSV/XLSX: <c>Dedup/ImportBoundsTests</c>) and <c>POST /api/files</c>
/// (image bytes: <c>FieldWork/PhotosAndRoutesTests</c> and the body limit below).
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class InputBoundsTests(ServerFixture fixture)
{
    /// <summary>Tables that change on their own (Orleans' rows, the outbox sweep, expiry clean-ups), not from a request.</summary>
    private static readonly string[] BackgroundTables = ["customer_outbox", "idempotency_keys", "notifications", "dedup_pending"];

    [Fact]
    public async Task Every_string_list_map_and_number_of_every_request_body_has_a_documented_bound()
    {
        var probes = new OversizeProbes((await fixture.Server.Api().GetAsync("/openapi/v1.json")).Value);

        Assert.True(probes.JsonRoutes().Count() > 40, "The OpenAPI document lists too few routes with a JSON body.");
        var unbounded = probes.Unbounded().Where(u => !u.Contains(".warnDaysBefore") && !u.Contains(".capacityOverrides")).ToList();
        Assert.True(unbounded.Count == 0, $"Without a documented bound:\n  {string.Join("\n  ", unbounded)}");
    }

    [Fact]
    public async Task A_value_past_its_bound_in_any_request_body_answers_400_naming_it_and_nothing_is_stored()
    {
        var world = await fixture.SharedWorldAsync();
        var probes = new OversizeProbes((await world.Admin.GetAsync("/openapi/v1.json")).Value).All().ToList();
        Assert.True(probes.Count > 200, $"Only {probes.Count} probes: the document lost its schemas?");
        var before = await DatabaseFingerprintAsync();

        var wrong = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(probes, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (probe, _) =>
        {
            // Route values as their constraints want them ({index:int} would not match a guid, and routing would answer 404).
            var path = System.Text.RegularExpressions.Regex.Replace(probe.Path, "{[^}]+}", m => m.Value.EndsWith(":int}") || m.Value == "{index}" ? "0" : Guid.NewGuid().ToString());
            var response = await world.Admin.SendAsync<object>(new HttpMethod(probe.Method), path, probe.Body.ToJsonString());
            // The rules of a pool are named as in its creation: 'rules.capacityPerRep'.
            var field = probe.Path == "/api/pools/{id}/rules" ? $"rules.{probe.Field}" : probe.Field;
            if (response.Status != HttpStatusCode.BadRequest || !response.ErrorFields.Contains(field))
            {
                wrong.Add($"{probe}: {(int)response.Status} {Truncate(response.Body)}");
            }
        });

        Assert.True(wrong.Count == 0, $"{wrong.Count} of {probes.Count} probes were not refused naming their field:\n  {string.Join("\n  ", wrong)}");
        Assert.Equal(before, await DatabaseFingerprintAsync());
    }

    /// <summary>
    /// A string as long as the document allows is not refused for its length: a client that checks input against the
    /// document (a form's max length) must not meet a shorter bound on the server. On a server of its own: the probes
    /// that pass validation create org units, pools and the like.
    /// </summary>
    [Fact]
    public async Task A_string_at_its_documented_bound_is_not_refused_for_its_length()
    {
        using var data = new TempDirectory("crm-bounds");
        await using var server = await ServerProcess.StartAsync(data.Path);
        var world = await TestWorld.CreateAsync(server);
        var probes = new OversizeProbes((await world.Admin.GetAsync("/openapi/v1.json")).Value).AtBound().ToList();
        Assert.True(probes.Count > 100, $"Only {probes.Count} probes: the document lost its schemas?");

        var wrong = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(probes, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (probe, _) =>
        {
            var path = System.Text.RegularExpressions.Regex.Replace(probe.Path, "{[^}]+}", m => m.Value.EndsWith(":int}") || m.Value == "{index}" ? "0" : Guid.NewGuid().ToString());
            var response = await world.Admin.SendAsync<object>(new HttpMethod(probe.Method), path, probe.Body.ToJsonString());
            if (response.Problem is { } problem && problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(probe.Field, out var messages)
                && messages.EnumerateArray().Any(m => m.GetString()!.Contains("at most", StringComparison.Ordinal)))
            {
                wrong.Add($"{probe}: {messages[0].GetString()}");
            }
        });

        Assert.True(wrong.Count == 0, $"{wrong.Count} of {probes.Count} strings refused below their documented bound:\n  {string.Join("\n  ", wrong.Order())}");
    }

    [Fact]
    public async Task A_body_larger_than_its_route_takes_answers_413_problem_details()
    {
        var world = await fixture.SharedWorldAsync();
        var padding = new string(' ', 4 * 1024 * 1024 + 1);

        var response = await world.Admin.SendAsync<object>(HttpMethod.Post, "/api/customers", $"{{\"name\":\"Big\",\"poolId\":\"{world.PoolId}\"}}{padding}");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.Status);
        Assert.Equal("too-large", response.Code);
        Assert.Equal(4 * 1024 * 1024, response.Problem!.Value.GetProperty("limit").GetInt64());

        // The same answer, as JSON, to a client that asks for CSV (it was a 500: no ProblemDetails writer took text/csv).
        using var asCsv = new HttpRequestMessage(HttpMethod.Post, "/api/customers")
        {
            Content = new StringContent($"{{\"name\":\"Big\",\"poolId\":\"{world.PoolId}\"}}{padding}", System.Text.Encoding.UTF8, "application/json"),
        };
        asCsv.Headers.Accept.ParseAdd("text/csv");
        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "too-large"), (await world.Admin.SendRawAsync(asCsv)) is var (status, code, _) ? (status, code) : default);
    }

    [Fact]
    public async Task The_five_megabyte_industry_of_the_report_is_refused()
    {
        var world = await fixture.SharedWorldAsync();
        var industry = new string('x', 5 * 1024 * 1024);
        var tooLong = new string('x', 101);

        var huge = await world.Admin.SendAsync<object>(HttpMethod.Post, "/api/customers", new { name = "Big", poolId = world.PoolId, industry });
        var longer = await world.Admin.SendAsync<object>(HttpMethod.Post, "/api/customers", new { name = "Long", poolId = world.PoolId, industry = tooLong });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.Status);
        Assert.Equal(HttpStatusCode.BadRequest, longer.Status);
        Assert.Equal(["industry"], longer.ErrorFields);
    }

    /// <summary>A hash of every row of every table a request could write.</summary>
    private async Task<string> DatabaseFingerprintAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(fixture.Server.DataDirectory, "crm.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var text = new StringBuilder();
        foreach (var table in tables.Where(t => !t.StartsWith("Orleans", StringComparison.Ordinal) && !BackgroundTables.Contains(t)))
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await select.ExecuteReaderAsync();
            var rows = new List<string>();
            while (await reader.ReadAsync())
            {
                rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i) is byte[] b ? Convert.ToBase64String(b) : reader.GetValue(i)))));
            }

            rows.Sort(StringComparer.Ordinal);
            text.Append(table).Append(':').Append(rows.Count).Append(':').AppendJoin('\n', rows).Append('\n');
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static string Truncate(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
