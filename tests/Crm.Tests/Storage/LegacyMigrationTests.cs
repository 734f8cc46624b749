using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Crm.Client;
using Crm.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Crm.Tests.Storage;

/// <summary>
/// A database written by the server before the event log (Legacy/legacy-main-cdecf5f.db, made by Legacy/make-legacy-db.sh
/// through the old server's API) starts on today's server: every customer's timeline moves into the event log at
/// start-up, and the API answers what the old server answered (Legacy/expected.json).
/// </summary>
public sealed class LegacyMigrationTests
{
    // The admin of the legacy database was made by the previous version with this password (Legacy/README.md), before
    // a configured admin password had to meet the password policy.
    private const string LegacyAdminPassword = "admin-Passw0rd!";

    private static readonly string Fixture = Path.Combine(RepoPaths.Root, "tests", "Crm.Tests", "Storage", "Legacy");

    private static readonly JsonObject Expected = JsonNode.Parse(File.ReadAllText(Path.Combine(Fixture, "expected.json")))!.AsObject();

    [Fact]
    public async Task A_database_of_the_previous_version_starts_and_every_timeline_survives_the_move_to_the_event_log()
    {
        using var data = new TempDirectory("crm-legacy");
        File.Copy(Path.Combine(Fixture, "legacy-main-cdecf5f.db"), Path.Combine(data.Path, "crm.db"));
        await using var server = await ServerProcess.StartAsync(data.Path);
        var admin = await new CrmApi(server.BaseAddress).LoginAsync("admin", LegacyAdminPassword);

        foreach (var (id, recorded) in Expected["customers"]!.AsObject())
        {
            var customerId = Guid.Parse(id);
            var get = recorded!["get"]!;
            if (get["status"]!.GetValue<int>() == 308)
            {
                using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
                http.DefaultRequestHeaders.Authorization = new("Bearer", admin.Token);
                using var alias = await http.GetAsync($"/api/customers/{id}");
                Assert.Equal(HttpStatusCode.PermanentRedirect, alias.StatusCode);
                Assert.Equal(get["location"]!.GetValue<string>(), alias.Headers.Location!.OriginalString);
                continue;
            }

            var customer = (await admin.GetCustomerAsync(customerId)).EnsureStatus(HttpStatusCode.OK).Value!;
            var before = get["body"].Deserialize<CustomerDto>(CrmApi.Json)!;
            Assert.Equal(before with { Version = customer.Version }, customer);
            Assert.True(customer.Version >= before.Version, $"{id}: the version went back from {before.Version} to {customer.Version}");

            var timeline = (await admin.TimelineAsync(customerId)).EnsureStatus(HttpStatusCode.OK).Value!;
            var old = recorded["timeline"]!["body"].Deserialize<List<TimelineEntryDto>>(CrmApi.Json)!;
            if (id == Ids("merge", "survivor"))
            {
                // The old merge copied the other's entries (renumbered); now they are linked from its own log.
                Assert.Equal(old.Select(Shown).Order(), timeline.Select(Shown).Order());
            }
            else
            {
                Assert.Equal(old.Select(e => (e.Seq, Shown(e))), timeline.Select(e => (e.Seq, Shown(e))));
            }

            var notes = (await admin.SendAsync<NotePage>(HttpMethod.Get, $"/api/customers/{id}/notes")).EnsureStatus(HttpStatusCode.OK).Value!;
            var oldNotes = recorded["notes"]!["body"].Deserialize<List<NoteDto>>(CrmApi.Json)!;
            Assert.Equal(oldNotes.Select(n => (n.NoteId, n.Text, n.Seq)).Order(), notes.Items.Select(n => (n.NoteId, n.Text, n.Seq)).Order());
        }

        foreach (var (repId, recorded) in Expected["repCustomers"]!.AsObject())
        {
            var pool = (await admin.SendAsync<JsonElement>(HttpMethod.Get, $"/api/reps/{repId}/customers?pageSize=500")).EnsureStatus(HttpStatusCode.OK).Value;
            Assert.Equal(IdsOf(recorded!["body"]!["items"]!), IdsOf(JsonNode.Parse(pool.GetRawText())!["items"]!));
        }

        Assert.Empty(LegacyRows(data.Path));
    }

    [Fact]
    public async Task A_migrated_customer_takes_new_events_and_a_second_start_migrates_nothing_twice()
    {
        using var data = new TempDirectory("crm-legacy");
        File.Copy(Path.Combine(Fixture, "legacy-main-cdecf5f.db"), Path.Combine(data.Path, "crm.db"));
        var longHistory = Guid.Parse(Ids("longHistory"));
        await using var server = await ServerProcess.StartAsync(data.Path);
        var admin = await new CrmApi(server.BaseAddress).LoginAsync("admin", LegacyAdminPassword);
        var before = (await admin.TimelineAsync(longHistory)).EnsureStatus(HttpStatusCode.OK).Value!;

        var added = (await admin.FollowUpAsync(longHistory, FollowUpType.Call, "reached", "after the migration")).EnsureStatus(HttpStatusCode.Created).Value!;
        await server.StopAsync();
        await server.StartAsync();
        admin = await new CrmApi(server.BaseAddress).LoginAsync("admin", LegacyAdminPassword);

        var newest = (await admin.TimelinePageAsync(longHistory, null, 1)).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(("after the migration", before.Max(e => e.Seq) + 1), (newest.Items.Single().Text, newest.Items.Single().Seq));
        Assert.Equal(added.Seq, newest.Items.Single().Seq);
        Assert.Equal(before.Count + 1, (await admin.TimelineAsync(longHistory)).Value!.Count);
        Assert.Equal(before.Count + 1, EventCount(data.Path, longHistory));
    }

    private static string Ids(params string[] path) =>
        path.Aggregate((JsonNode)Expected["ids"]!, (node, key) => node[key]!).GetValue<string>();

    private static (DateTimeOffset, string, string?, string?, string?, string) Shown(TimelineEntryDto e) =>
        (e.At, e.Kind, e.ActorId, e.Reason, e.Text, string.Join(";", e.Data.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key}={d.Value}")));

    private static List<string> IdsOf(JsonNode items) => items.AsArray().Select(i => i!["id"]!.GetValue<string>()).Order().ToList();

    private static List<long> LegacyRows(string dataDirectory) =>
        Query(dataDirectory, "SELECT GrainIdN0 FROM OrleansStorage WHERE GrainTypeString = 'customer'");

    private static int EventCount(string dataDirectory, Guid customerId) =>
        Query(dataDirectory, $"SELECT COUNT(*) FROM customer_events WHERE customer_id = '{customerId}'").Select(c => (int)c).Single();

    private static List<long> Query(string dataDirectory, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "crm.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<long>();
        while (reader.Read())
        {
            values.Add(reader.GetInt64(0));
        }

        return values;
    }
}
