using System.Net;
using Crm.Client;
using Crm.Tests.Contracts;
using Crm.Tests.Deals;
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

    /// <summary>
    /// One server start and one crash for four commands (a server start is the slow part): a claim and a follow-up, a deal
    /// win and a payment. Run again, the win would be refused (409 deal-closed) and the payment stored a second time.
    /// </summary>
    [Fact]
    public async Task A_follow_up_a_claim_a_deal_win_and_a_payment_retried_after_a_crash_and_restart_are_answered_from_their_keys()
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

        var buyer = await world.OwnedLeadAsync("Zhao Lei");
        var deal = (await world.RepA.OpenDealAsync(buyer.Id, DealKit.Deal(120_000m))).EnsureStatus(HttpStatusCode.Created).Value!;
        var win = new WinDealRequest(118_500m);
        var firstWin = await world.RepA.SendAsync<DealDto>(HttpMethod.Post, $"/api/deals/{deal.Id}/win", win, Key("win-1"));
        firstWin.EnsureStatus(HttpStatusCode.OK);
        var contract = (await world.RepA.SignAsync(deal.Id, ContractKit.Contract())).EnsureStatus(HttpStatusCode.Created).Value!;
        var payment = new PaymentRequest(40_000m, ContractKit.SignedAt.AddDays(30), "bank-transfer", "BANK-0001");
        var firstPayment = await world.RepA.SendAsync<PaymentDto>(HttpMethod.Post, $"/api/contracts/{contract.Id}/payments", payment, Key("payment-1"));
        firstPayment.EnsureStatus(HttpStatusCode.Created);

        await _server.KillAsync(); // a crash: only what was committed survives
        await _server.StartAsync();

        var retriedFollowUp = await world.RepA.SendAsync<TimelineEntryDto>(HttpMethod.Post, $"/api/customers/{lead.Id}/follow-ups", followUp, Key("follow-up-1"));
        var retriedClaim = await world.RepA.SendAsync<CustomerDto>(HttpMethod.Post, $"/api/customers/{lead.Id}/claim", null, Key("claim-1"));
        var retriedWin = await world.RepA.SendAsync<DealDto>(HttpMethod.Post, $"/api/deals/{deal.Id}/win", win, Key("win-1"));
        var retriedPayment = await world.RepA.SendAsync<PaymentDto>(HttpMethod.Post, $"/api/contracts/{contract.Id}/payments", payment, Key("payment-1"));

        retriedFollowUp.EnsureStatus(HttpStatusCode.Created);
        Assert.Equal(firstFollowUp.Body, retriedFollowUp.Body);
        retriedClaim.EnsureStatus(HttpStatusCode.OK);
        Assert.Equal(firstClaim.Body, retriedClaim.Body);
        retriedWin.EnsureStatus(HttpStatusCode.OK);
        Assert.Equal(firstWin.Body, retriedWin.Body);
        retriedPayment.EnsureStatus(HttpStatusCode.Created);
        Assert.Equal(firstPayment.Body, retriedPayment.Body);
        var now = (await world.Manager.GetCustomerAsync(lead.Id)).Value!;
        Assert.Null(now.OwnerId);
        var timeline = (await world.Manager.TimelineAsync(lead.Id)).Value!;
        Assert.Single(timeline, e => e.Text == "before the restart");
        Assert.Single(timeline, e => e.Kind == "claimed");

        // The same key with another body is a client's mistake, not a retry.
        var otherPayment = await world.RepA.SendAsync<PaymentDto>(HttpMethod.Post, $"/api/contracts/{contract.Id}/payments",
            payment with { Amount = 41_000m }, Key("payment-1"));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, ErrorCodes.IdempotencyKeyReused), (otherPayment.Status, otherPayment.Code));
        var otherWin = await world.RepA.SendAsync<DealDto>(HttpMethod.Post, $"/api/deals/{deal.Id}/win", new WinDealRequest(1m), Key("win-1"));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, ErrorCodes.IdempotencyKeyReused), (otherWin.Status, otherWin.Code));

        var stored = (await world.Manager.GetContractAsync(contract.Id)).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(firstPayment.Value!.Id, Assert.Single(stored.Payments!).Id);
        Assert.Equal((40_000m, 78_500m), (stored.Paid, stored.Outstanding));
        var buyerTimeline = (await world.Manager.TimelineAsync(buyer.Id)).Value!;
        Assert.Single(buyerTimeline, e => e.Kind == "deal-won");
        Assert.Single(buyerTimeline, e => e.Kind == "payment-received");
    }
}
