using System.Net;
using System.Text.Json;
using Crm.Client;
using Crm.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Crm.Tests.Reliability;

/// <summary>The Idempotency-Key header on command routes, as a client retrying after a lost answer relies on it.</summary>
[Collection(ServerCollection.Name)]
public sealed class IdempotencyKeyTests(ServerFixture fixture)
{
    private static Dictionary<string, string> Key(string key) => new() { ["Idempotency-Key"] = key };

    private static FollowUpRequest Visit(string text) => new(FollowUpType.Visit, "met", text);

    [Fact]
    public async Task A_retry_with_the_same_key_and_body_gets_the_first_answer_and_changes_nothing()
    {
        var world = await fixture.SharedWorldAsync();
        var lead = await world.NewLeadAsync("Retry Ltd", company: null, phone: null);
        var key = Key(Guid.NewGuid().ToString());

        var first = await world.Manager.SendAsync<TimelineEntryDto>(HttpMethod.Post, $"/api/customers/{lead.Id}/follow-ups", Visit("once only"), key);
        var retry = await world.Manager.SendAsync<TimelineEntryDto>(HttpMethod.Post, $"/api/customers/{lead.Id}/follow-ups", Visit("once only"), key);

        first.EnsureStatus(HttpStatusCode.Created);
        retry.EnsureStatus(HttpStatusCode.Created);
        Assert.Equal(first.Body, retry.Body);
        Assert.Single((await world.Manager.TimelineAsync(lead.Id)).Value!, e => e.Text == "once only");
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_refused_with_422()
    {
        var world = await fixture.SharedWorldAsync();
        var lead = await world.NewLeadAsync("Reused Key Ltd", company: null, phone: null);
        var key = Key(Guid.NewGuid().ToString());
        (await world.Manager.SendAsync<TimelineEntryDto>(HttpMethod.Post, $"/api/customers/{lead.Id}/follow-ups", Visit("first"), key))
            .EnsureStatus(HttpStatusCode.Created);

        var other = await world.Manager.SendAsync<TimelineEntryDto>(HttpMethod.Post, $"/api/customers/{lead.Id}/follow-ups", Visit("second"), key);
        var otherRoute = await world.Manager.SendAsync<CustomerDto>(HttpMethod.Post, $"/api/customers/{lead.Id}/stage", new StageChangeRequest(Stage.Opportunity, null), key);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.Status);
        Assert.Equal(ErrorCodes.IdempotencyKeyReused, other.Code);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherRoute.Status);
        var timeline = (await world.Manager.TimelineAsync(lead.Id)).Value!;
        Assert.DoesNotContain(timeline, e => e.Text == "second");
        Assert.Equal(Stage.Lead, (await world.Manager.GetCustomerAsync(lead.Id)).Value!.Stage);
    }

    [Fact]
    public async Task Keys_belong_to_their_caller()
    {
        var world = await fixture.SharedWorldAsync();
        var lead = await world.NewLeadAsync("Two Callers Ltd", company: null, phone: null);
        var key = Key(Guid.NewGuid().ToString());

        (await world.Manager.SendAsync<TimelineEntryDto>(HttpMethod.Post, $"/api/customers/{lead.Id}/follow-ups", Visit("by the manager"), key))
            .EnsureStatus(HttpStatusCode.Created);
        (await world.Admin.SendAsync<TimelineEntryDto>(HttpMethod.Post, $"/api/customers/{lead.Id}/follow-ups", Visit("by the admin"), key))
            .EnsureStatus(HttpStatusCode.Created);

        Assert.Equal(2, (await world.Manager.TimelineAsync(lead.Id)).Value!.Count(e => e.Text is "by the manager" or "by the admin"));
    }

    [Fact]
    public async Task Concurrent_duplicates_run_once_the_others_get_409_or_the_first_answer()
    {
        var world = await fixture.SharedWorldAsync();
        var lead = await world.NewLeadAsync("Double Tap Ltd", company: null, phone: null);
        var key = Key(Guid.NewGuid().ToString());

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            world.Manager.SendAsync<TimelineEntryDto>(HttpMethod.Post, $"/api/customers/{lead.Id}/follow-ups", Visit("double tap"), key)));

        Assert.All(answers, a => Assert.Contains(a.Status, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        Assert.All(answers.Where(a => a.Status == HttpStatusCode.Conflict), a => Assert.Equal(ErrorCodes.IdempotencyKeyInFlight, a.Code));
        Assert.Single(answers.Where(a => a.Status == HttpStatusCode.Created).Select(a => a.Body).Distinct());
        Assert.Single((await world.Manager.TimelineAsync(lead.Id)).Value!, e => e.Text == "double tap");
    }

    [Fact]
    public async Task A_key_held_by_a_request_still_running_elsewhere_answers_409_with_Retry_After()
    {
        var world = await fixture.SharedWorldAsync();
        var lead = await world.NewLeadAsync("Other Silo Ltd", company: null, phone: null);
        var key = Guid.NewGuid().ToString();
        // Another silo holds the key right now (its hold starts far ahead, so no clock decides this test).
        await using (var db = new SqliteConnection($"Data Source={Path.Combine(fixture.Server.DataDirectory, "crm.db")};Pooling=False"))
        {
            await db.OpenAsync();
            await using var insert = db.CreateCommand();
            insert.CommandText = "PRAGMA busy_timeout=10000; INSERT INTO idempotency_keys (caller_id, idem_key, request_hash, owner, started_ms) VALUES ($caller, $key, 'other', 'another-silo', $started)";
            insert.Parameters.AddWithValue("$caller", world.Manager.UserId);
            insert.Parameters.AddWithValue("$key", key);
            insert.Parameters.AddWithValue("$started", long.MaxValue / 2);
            await insert.ExecuteNonQueryAsync();
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/customers/{lead.Id}/follow-ups")
        {
            Content = System.Net.Http.Json.JsonContent.Create(Visit("held elsewhere"), options: CrmApi.Json),
        };
        request.Headers.Add("Idempotency-Key", key);
        var (status, code, retryAfter) = await world.Manager.SendRawAsync(request);

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(ErrorCodes.IdempotencyKeyInFlight, code);
        Assert.True(retryAfter);
        Assert.DoesNotContain((await world.Manager.TimelineAsync(lead.Id)).Value!, e => e.Text == "held elsewhere");
    }

    [Fact]
    public async Task An_overlong_key_is_refused_with_400()
    {
        var world = await fixture.SharedWorldAsync();
        var lead = await world.NewLeadAsync("Long Key Ltd", company: null, phone: null);

        var refused = await world.Manager.SendAsync<JsonElement>(HttpMethod.Post, $"/api/customers/{lead.Id}/follow-ups", Visit("x"), Key(new string('k', 201)));

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
    }

    [Fact]
    public async Task The_typed_client_sends_a_key_with_every_command_and_reuses_it_when_it_retries_a_lost_answer()
    {
        var world = await fixture.SharedWorldAsync();
        var lead = await world.NewLeadAsync("Lost Answer Ltd", company: null, phone: null);
        var flaky = new LoseFirstAnswer();
        using var crm = new CrmClient(fixture.Server.BaseAddress, flaky) { AccessToken = world.Manager.Token, MaxRetryDelay = TimeSpan.FromMilliseconds(50) };

        var entry = await crm.AddFollowUpAsync(lead.Id, Visit("answer lost once"));
        await crm.ChangeStageAsync(lead.Id, Stage.Opportunity);

        Assert.Equal("answer lost once", entry.Text);
        Assert.Equal(3, flaky.Keys.Count); // the follow-up twice (its answer was lost), the stage change once
        Assert.Equal(flaky.Keys[0], flaky.Keys[1]);
        Assert.NotEqual(flaky.Keys[1], flaky.Keys[2]);
        Assert.All(flaky.Keys, k => Assert.False(string.IsNullOrEmpty(k)));
        Assert.Single((await world.Manager.TimelineAsync(lead.Id)).Value!, e => e.Text == "answer lost once");
    }

    /// <summary>Delivers every request; the answer to the first command is lost on the way back, as on a dropped connection.</summary>
    private sealed class LoseFirstAnswer() : DelegatingHandler(new HttpClientHandler())
    {
        public List<string?> Keys { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var command = request.Method != HttpMethod.Get;
            if (command)
            {
                Keys.Add(request.Headers.TryGetValues("Idempotency-Key", out var keys) ? keys.Single() : null);
            }

            var response = await base.SendAsync(request, cancellationToken);
            if (command && Keys.Count == 1)
            {
                response.Dispose();
                throw new HttpRequestException("The connection was reset before the answer arrived.");
            }

            return response;
        }
    }
}
