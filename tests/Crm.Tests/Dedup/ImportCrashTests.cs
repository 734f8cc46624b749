using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Crm.Client;
using Crm.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Crm.Tests.Dedup;

/// <summary>
/// The batched import killed with SIGKILL in the middle, then sent again with the same key to the restarted server:
/// every row is decided exactly once (the rows the first attempt stored come back as created with the same ids, the
/// planted duplicates are blocked, nothing is stored twice, the rows resembling a customer of the pool are flagged on
/// both sides once and answered with their flag), and a third attempt answers the same.
/// </summary>
public sealed class ImportCrashTests
{
    private const int Rows = 12_000;
    private const int DuplicatesEvery = 10;
    /// <summary>Of each ten rows, the one that names an existing customer's company in another city (a weak match: flagged).</summary>
    private const int FlaggedAt = 4;

    [Fact]
    public async Task A_batched_import_killed_mid_way_and_retried_with_its_key_decides_every_row_once()
    {
        using var data = new TempDirectory("crm-import-crash");
        await using var server = await ServerProcess.StartAsync(data.Path, new Dictionary<string, string> { ["Crm__Import__BatchRows"] = "500" });
        string poolId;
        {
            var admin = await server.Api().LoginAsAdminAsync();
            var unit = (await admin.SendAsync<OrgUnitDto>(HttpMethod.Post, "/api/org-units", new CreateOrgUnitRequest("Import crash"))).Value!;
            poolId = (await admin.SendAsync<PoolDto>(HttpMethod.Post, "/api/pools", new CreatePoolRequest("Crash pool", unit.Id,
                new PoolRules { Dedup = new DedupRule(["identity-keys", "company-name"], "block") { Actions = new Dictionary<string, string> { ["weak"] = "flag" } } }))).Value!.Id;
        }

        var brands = Enumerable.Range(0, Rows / DuplicatesEvery).Select(ChineseBrand).ToList();
        List<Guid> existing;
        {
            var admin = await server.Api().LoginAsAdminAsync();
            var companies = new StringBuilder("name,company\n");
            brands.ForEach(brand => companies.Append($"王{brand[0]},上海{brand}贸易有限公司\n"));
            var imported = await ReadAsync(await PostAsync(admin, poolId, companies.ToString(), $"existing-{Guid.NewGuid():N}"));
            Assert.Equal(brands.Count, imported.Created);
            existing = imported.Rows.Select(r => r.CustomerId!.Value).ToList();
        }

        var (csv, planted) = File(brands);
        var key = $"crash-{Guid.NewGuid():N}";
        {
            var admin = await server.Api().LoginAsAdminAsync();
            var first = PostAsync(admin, poolId, csv, key);
            // Killed once some batches are stored and before the last one is: the middle of the import.
            var deadline = DateTime.UtcNow.AddMinutes(3);
            long stored;
            while ((stored = await CountAsync(admin, poolId) - existing.Count) < Rows / 5 && !first.IsCompleted && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            await server.KillAsync();
            Assert.True(stored < Rows - Rows / DuplicatesEvery, $"the import finished ({stored} stored) before the kill; the test needs a kill mid-way");
            await Task.WhenAny(first, Task.Delay(TimeSpan.FromSeconds(30)));
        }

        await server.StartAsync();
        var user = await server.Api().LoginAsAdminAsync();
        var retried = await ReadAsync(await PostAsync(user, poolId, csv, key));
        Assert.Equal(Rows, retried.Total);
        Assert.Equal(Rows, retried.Rows.Count);
        Assert.Equal(planted.Count, retried.Duplicates);
        Assert.Equal(planted, retried.Rows.Where(r => r.Status == "duplicate").Select(r => r.Row).ToHashSet());
        Assert.Equal(Rows - planted.Count, retried.Created);
        Assert.Equal(0, retried.Rejected);
        var ids = retried.Rows.Where(r => r.Status == "created").Select(r => r.CustomerId!.Value).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(retried.Created + existing.Count, await CountAsync(user, poolId));

        // Each resembling row answers its flag whichever attempt stored it, and the flag is stored on both sides once
        // (an attempt killed after storing a row and before marking the customer it resembles leaves that to the retry).
        var flagged = Enumerable.Range(0, Rows).Where(i => i % DuplicatesEvery == FlaggedAt).ToDictionary(i => i + 2, i => existing[i / DuplicatesEvery]);
        Assert.Equal(flagged.Keys.Order(), retried.Rows.Where(r => r.Status == "created" && r.DuplicateOf.Count > 0).Select(r => r.Row));
        var flags = await StoredFlagsAsync(data.Path);
        foreach (var (row, customer) in flagged)
        {
            var result = retried.Rows[row - 2];
            var flag = Assert.Single(result.DuplicateOf);
            Assert.Equal((customer, null, "weak"), (flag.CustomerId, flag.Row, flag.Strength));
            Assert.Equal(1, flags.Count(f => f == (result.CustomerId!.Value, customer)));
            Assert.Equal(1, flags.Count(f => f == (customer, result.CustomerId!.Value)));
        }

        Assert.Equal(2 * flagged.Count, flags.Count);

        // A third attempt (the client lost the second answer) changes nothing and answers the same.
        var third = await ReadAsync(await PostAsync(user, poolId, csv, key));
        Assert.Equal(Answers(retried), Answers(third));
        Assert.Equal(retried.Created + existing.Count, await CountAsync(user, poolId));
        Assert.Equal(flags.Order(), (await StoredFlagsAsync(data.Path)).Order());
    }

    private static List<string> Answers(ImportReport report) =>
        report.Rows.Select(r => $"{r.Row} {r.Status} {r.CustomerId} [{string.Join("; ", r.DuplicateOf)}]").ToList();

    /// <summary>Every duplicate flag stored, as (customer, flagged against), read from the server's database.</summary>
    private static async Task<List<(Guid Customer, Guid DuplicateOf)>> StoredFlagsAsync(string dataDirectory)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "crm.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT customer_id, data FROM customer_events WHERE kind = 'duplicate-flagged'";
        var flags = new List<(Guid, Guid)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            using var json = JsonDocument.Parse(reader.GetString(1));
            flags.Add((Guid.Parse(reader.GetString(0)), json.RootElement.GetProperty("duplicateOf").GetGuid()));
        }

        return flags;
    }

    /// <summary>
    /// Row i's made-up brand, twelve letters: i's three base-26 digits written four times, each time shifted otherwise, so
    /// two brands differ in at least four letters (a third of them): never a typo apart nor alike enough to be one company.
    /// </summary>
    private static string Word(int i)
    {
        int[] digits = [i % 26, i / 26 % 26, i / 676 % 26];
        return string.Concat(Enumerable.Range(0, 12).Select(at => (char)((at == 0 ? 'A' : 'a') + (digits[at % 3] + 7 * (at / 3)) % 26)));
    }

    /// <summary>Existing customer k's made-up Chinese brand, six characters (of forty) that differ from any other's in three.</summary>
    private static string ChineseBrand(int k)
    {
        int[] digits = [k % 40, k / 40 % 40];
        return string.Concat(Enumerable.Range(0, 6).Select(at => (char)('甲' + (digits[at % 2] + 13 * (at / 2)) % 40)));
    }

    /// <summary>
    /// Distinct leads, each its own company; every tenth repeats an earlier lead's mobile written another way (blocked),
    /// and another of each ten names an existing customer's company in Beijing where that one is in Shanghai (flagged).
    /// The planted rows as the report numbers them.
    /// </summary>
    private static (string Csv, HashSet<int> Planted) File(List<string> brands)
    {
        var csv = new StringBuilder("name,company,phone\n");
        var planted = new HashSet<int>();
        // Three digits: with four the "mobiles" had 12 digits, which are no valid number and so no dedup key.
        var suffix = Random.Shared.Next(100, 999);
        for (var i = 0; i < Rows; i++)
        {
            if (i % DuplicatesEvery == DuplicatesEvery - 1)
            {
                var earlier = i - DuplicatesEvery + 1;
                csv.Append($"Crash {i},{Word(i)} Trading Co.,137{earlier % 10_000:D4}{earlier / 10_000}{suffix:D3}\n");
                planted.Add(i + 2);
            }
            else
            {
                var company = i % DuplicatesEvery == FlaggedAt ? $"北京{brands[i / DuplicatesEvery]}贸易有限公司" : $"{Word(i)} Trading Co.";
                csv.Append($"Crash {i},{company},+86 137 {i % 10_000:D4} {i / 10_000}{suffix:D3}\n");
            }
        }

        return (csv.ToString(), planted);
    }

    private static async Task<HttpResponseMessage> PostAsync(CrmApi user, string poolId, string csv, string key)
    {
        using var http = new HttpClient { BaseAddress = user.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        http.DefaultRequestHeaders.Add("Idempotency-Key", key);
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        try
        {
            return await http.PostAsync($"/api/customers/import?poolId={poolId}", content);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new HttpResponseMessage(HttpStatusCode.BadGateway) { ReasonPhrase = e.Message };
        }
    }

    private static async Task<ImportReport> ReadAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<ImportReport>(CrmApi.Json))!;
    }

    private static async Task<long> CountAsync(CrmApi user, string poolId) =>
        (await user.SendAsync<Page<CustomerDto>>(HttpMethod.Get, $"/api/customers?poolId={Uri.EscapeDataString(poolId)}&pageSize=1")).Value!.Total;
}
