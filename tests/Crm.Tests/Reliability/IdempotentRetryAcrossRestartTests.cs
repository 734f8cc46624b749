using System.Net;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Reliability;

/// <summary>
/// Keys live in the database: a client whose answer was lost retries after the server crashed and restarted and gets the first
/// answer, without the command running again.
/// </summary>
public sealed class IdempotentRetryAcrossRestartTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new("crm-idem-restart");
    private ServerProcess _server = null!;

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync(_data.Path);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _data.Dispose();
    }

    private static Dictionary<string, string> Key(string key) => new() { ["Idempotency-Key"] = key };

    [Fact]
    public async Task A_follow_up_and_a_claim_retried_after_a_crash_and_restart_are_answered_from_their_keys()
    {
        var world = await TestWorld.CreateAsync(_server);
        var lead = await world.NewLeadAsync("Restart Ltd", company: null, phone: null);
        var followUp = new FollowUpRequest(FollowUpType.Call, "reached", "before the restart");
        var firstClaim = await world.RepA.SendAsync<CustomerDto>(HttpMethod.Post, $"/api/customers/{lead.Id}/claim", null, Key("claim-1"));
        var firstFollowUp = await world.RepA.SendAsync<TimelineEntryDto>(HttpMethod.Post, $"/api/customers/{lead.Id}/follow-ups", followUp, Key("follow-up-1"));
        firstClaim.EnsureStatus(HttpStatusCode.OK);
        firstFollowUp.EnsureStatus(HttpStatusCode.Created);
        // Then the rep lets the customer go: a claim that ran again would take it back, and a follow-up that ran again
        // would be refused (403, no longer the owner) or stored twice.
        (await world.RepA.ReleaseAsync(lead.Id, "not interested")).EnsureStatus(HttpStatusCode.OK);

        await _server.KillAsync(); // a crash: only what was committed survives
        await _server.StartAsync();

        var retriedFollowUp = await world.RepA.SendAsync<TimelineEntryDto>(HttpMethod.Post, $"/api/customers/{lead.Id}/follow-ups", followUp, Key("follow-up-1"));
        var retriedClaim = await world.RepA.SendAsync<CustomerDto>(HttpMethod.Post, $"/api/customers/{lead.Id}/claim", null, Key("claim-1"));

        retriedFollowUp.EnsureStatus(HttpStatusCode.Created);
        Assert.Equal(firstFollowUp.Body, retriedFollowUp.Body);
        retriedClaim.EnsureStatus(HttpStatusCode.OK);
        Assert.Equal(firstClaim.Body, retriedClaim.Body);
        var now = (await world.Manager.GetCustomerAsync(lead.Id)).Value!;
        Assert.Null(now.OwnerId);
        var timeline = (await world.Manager.TimelineAsync(lead.Id)).Value!;
        Assert.Single(timeline, e => e.Text == "before the restart");
        Assert.Single(timeline, e => e.Kind == "claimed");
    }
}
