using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Cluster;

/// <summary>The CSV import of <see cref="ThreeSiloFailoverTests"/>: sent with an idempotency key, and retried as a client would.</summary>
internal static class StormImport
{
    public const int Rows = 120;

    /// <summary>Rows named "Import {tag} {i}", each with its own phone number, so that no row is a duplicate of another.</summary>
    public static string Csv(string tag, int phoneSuffix)
    {
        var csv = new StringBuilder("name,company,phone\n");
        for (var i = 0; i < Rows; i++)
        {
            csv.Append($"Import {tag} {i},Import {tag} {i} Machinery Co.,+86 137 {i:D4} {phoneSuffix:D4}\n");
        }

        return csv.ToString();
    }

    /// <summary>The answer, or why there was none (the silo died, the time ran out).</summary>
    public static async Task<(HttpResponseMessage? Response, string? Failure)> SendAsync(CrmApi user, string poolId, string csv, string key,
        TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = user.BaseAddress, Timeout = timeout };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        http.DefaultRequestHeaders.Add("Idempotency-Key", key);
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        try
        {
            return (await http.PostAsync($"/api/customers/import?poolId={poolId}", content), null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (null, $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Retries as a client would: 409 while the dead request still holds the key, then the import's answer.</summary>
    public static async Task<ImportReport> RetryAsync(CrmApi user, string poolId, string csv, string key)
    {
        // Generous: on a loaded 2-core machine the survivors are busy re-activating what the dead silo held.
        var deadline = DateTime.UtcNow.AddMinutes(4);
        while (true)
        {
            var (response, failure) = await SendAsync(user, poolId, csv, key, TimeSpan.FromMinutes(3));
            if (response is { StatusCode: HttpStatusCode.OK })
            {
                return (await response.Content.ReadFromJsonAsync<ImportReport>(CrmApi.Json))!;
            }

            var answer = response is null ? failure : $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            Assert.True(DateTime.UtcNow < deadline, $"the import retry still answers {answer}");
            await Task.Delay(1000);
        }
    }
}
