using System.Net;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Reliability;

/// <summary>What an operator looks at during and after an outage: the health endpoints and the log.</summary>
public static class OutageChecks
{
    /// <summary>Polls <paramref name="path"/> until it answers <paramref name="expected"/>; fails after 30 s.</summary>
    public static async Task WaitForAsync(ServerProcess server, string path, HttpStatusCode expected)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpStatusCode last = 0;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await http.GetAsync(path);
            if ((last = response.StatusCode) == expected)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"{path} still answered {(int)last} after 30 s, not {(int)expected}.");
    }

    public static async Task<HttpStatusCode> StatusOfAsync(ServerProcess server, string path)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync(path);
        return response.StatusCode;
    }

    /// <summary>The log said once that the database went away and once that it came back.</summary>
    public static void LoggedOneOutage(ServerProcess server)
    {
        var lines = server.Output.ToList();
        Assert.Single(lines, l => l.Contains("The database is unavailable (", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains("The database is available again", StringComparison.Ordinal));
    }

    /// <summary>Settings that make an outage quick to see: short write bound and probe interval.</summary>
    public static Dictionary<string, string> QuickOutageSettings(Dictionary<string, string>? more = null)
    {
        var settings = more ?? [];
        settings["Crm__Storage__DatabaseTimeout"] = "00:00:01";
        settings["Crm__Health__ProbeInterval"] = "00:00:00.200";
        settings["Crm__Health__RetryAfterSeconds"] = "3";
        return settings;
    }
}
