using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Dedup;

/// <summary>
/// The batched import killed with SIGKILL in the middle, then sent again with the same key to the restarted server:
/// every row is decided exactly once (the rows the first attempt stored come back as created with the same ids, the
/// planted duplicates are blocked, nothing is stored twice), and a third attempt answers the same.
/// </summary>
public sealed class ImportCrashTests
{
    private const int Rows = 12_000;
    private const int DuplicatesEvery = 10;

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
                new PoolRules { Dedup = new DedupRule(["identity-keys"], "block") }))).Value!.Id;
        }

        var (csv, planted) = File();
        var key = $"crash-{Guid.NewGuid():N}";
        {
            var admin = await server.Api().LoginAsAdminAsync();
            var first = PostAsync(admin, poolId, csv, key);
            // Killed once some batches are stored and before the last one is: the middle of the import.
            var deadline = DateTime.UtcNow.AddMinutes(3);
            long stored;
            while ((stored = await CountAsync(admin, poolId)) < Rows / 5 && !first.IsCompleted && DateTime.UtcNow < deadline)
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
        Assert.Equal(retried.Created, await CountAsync(user, poolId));

        // A third attempt (the client lost the second answer) changes nothing and answers the same.
        var third = await ReadAsync(await PostAsync(user, poolId, csv, key));
        Assert.Equal(retried.Rows.Select(r => (r.Row, r.Status, r.CustomerId)), third.Rows.Select(r => (r.Row, r.Status, r.CustomerId)));
        Assert.Equal(retried.Created, await CountAsync(user, poolId));
    }

    /// <summary>Distinct leads; every tenth repeats an earlier lead's mobile written another way. The planted rows as the report numbers them.</summary>
    private static (string Csv, HashSet<int> Planted) File()
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
                csv.Append($"Crash {i},Crash {i} Trading Co.,137{earlier % 10_000:D4}{earlier / 10_000}{suffix:D3}\n");
                planted.Add(i + 2);
            }
            else
            {
                csv.Append($"Crash {i},Crash {i} Trading Co.,+86 137 {i % 10_000:D4} {i / 10_000}{suffix:D3}\n");
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
