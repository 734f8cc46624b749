using System.Net;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Deals;

/// <summary>
/// Deals over HTTP on the real server: a lead becomes an opportunity with a deal in a custom pipeline, moves through
/// it, records a declined offer, is won and becomes a customer; the team hears the win; lists, timeline and refusals.
/// </summary>
public abstract class DealsEndToEndTests
{
    private static readonly PerServer<TestWorld> Worlds = new(server => TestWorld.CreateAsync(server));

    protected abstract ServerProcess Server { get; }

    private Task<TestWorld> WorldAsync() => Worlds.ForAsync(Server);

    [Fact]
    public async Task A_lead_becomes_a_customer_through_a_deal_won_in_a_custom_pipeline()
    {
        var world = await WorldAsync();
        var pipeline = await world.CustomPipelineAsync();
        var lead = await world.OwnedLeadAsync();
        await using var manager = await EventRecorder.ConnectAsync(world.Manager);
        await using var teammate = await EventRecorder.ConnectAsync(world.RepB);

        var deal = (await world.RepA.OpenDealAsync(lead.Id, DealKit.Deal(pipelineId: pipeline.Id))).EnsureStatus(HttpStatusCode.Created).Value!;
        Assert.Equal((DealStatus.Open, "first-contact", 10, world.RepA.UserId, 120_000m), (deal.Status, deal.StageKey, deal.Probability, deal.RepId, deal.Amount));
        Assert.Equal(Stage.Opportunity, (await world.RepA.GetCustomerAsync(lead.Id)).Value!.Stage);

        (await world.RepA.MoveAsync(deal.Id, "intent")).EnsureStatus(HttpStatusCode.OK);
        (await world.RepA.AttemptAsync(deal.Id, AttemptKind.Offer, AttemptOutcome.Declined, "price too high")).EnsureStatus(HttpStatusCode.OK);
        var negotiating = (await world.RepA.MoveAsync(deal.Id, "negotiation", "budget approved")).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(("negotiation", 60), (negotiating.StageKey, negotiating.Probability));
        var moved = await manager.WaitForAsync<DealStageChanged>(lead.Id);
        Assert.Equal(deal.Id, moved.DealId);

        var won = (await world.RepA.WinAsync(deal.Id, 118_500m)).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal((DealStatus.Won, 118_500m, 100), (won.Status, won.Amount, won.Probability));
        Assert.Equal(Stage.Customer, (await world.RepA.GetCustomerAsync(lead.Id)).Value!.Stage);

        // The gong: the manager over the rep's unit and the rep's teammate hear the win.
        var gong = await teammate.WaitForAsync<DealWon>(lead.Id);
        Assert.Equal((deal.Id, 118_500m, "CNY", world.RepA.UserId), (gong.DealId, gong.Amount, gong.Currency, gong.RepId));
        Assert.Equal(deal.Id, (await manager.WaitForAsync<DealWon>(lead.Id)).DealId);

        var timeline = (await world.RepA.TimelineAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK).Value!;
        var deals = timeline.Where(e => e.Kind.StartsWith("deal-", StringComparison.Ordinal)).ToList();
        Assert.Equal(["deal-created", "deal-stage-changed", "deal-attempt", "deal-stage-changed", "deal-won"], DealKit.Kinds(deals));
        Assert.Equal(("offer", "declined", "intent"), (deals[2].Data["kind"], deals[2].Data["outcome"], deals[2].Data["stageKey"]));
        Assert.Equal("118500", deals[4].Data["amount"]);
        Assert.Contains(timeline, e => e.Kind == "stage-changed" && e.Data["to"] == "customer" && e.Reason == "first deal won");

        // A closed deal stays closed.
        var again = await world.RepA.MoveAsync(deal.Id, "signing");
        Assert.Equal((HttpStatusCode.Conflict, ErrorCodes.DealClosed), (again.Status, again.Code));
    }

    [Fact]
    public async Task A_deal_is_lost_only_for_a_reason_of_the_company_list()
    {
        var world = await WorldAsync();
        var lead = await world.OwnedLeadAsync();
        await using var owner = await EventRecorder.ConnectAsync(world.RepA);
        var deal = (await world.RepA.OpenDealAsync(lead.Id, DealKit.Deal())).EnsureStatus(HttpStatusCode.Created).Value!;
        Assert.Equal(("default", "contact", 10), (deal.PipelineId, deal.StageKey, deal.Probability));

        var unknown = await world.RepA.LoseAsync(deal.Id, "bad-karma");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        Assert.Contains("reason", unknown.ErrorFields);

        var lost = (await world.RepA.LoseAsync(deal.Id, "competitor", "Kingdee")).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal((DealStatus.Lost, "competitor"), (lost.Status, lost.LoseReason));
        var told = await owner.WaitForAsync<DealLost>(lead.Id);
        Assert.Equal(("competitor", "Kingdee"), (told.Reason, told.Competitor));
        Assert.Equal(Stage.Opportunity, (await world.RepA.GetCustomerAsync(lead.Id)).Value!.Stage);
    }

    [Fact]
    public async Task The_deal_list_shows_what_the_caller_may_see_and_filters_by_owner_stage_and_close_date()
    {
        var world = await WorldAsync();
        var lead = await world.OwnedLeadAsync();
        var early = (await world.RepA.OpenDealAsync(lead.Id, DealKit.Deal(50m) with { ExpectedCloseDate = new DateOnly(2026, 4, 1) }))
            .EnsureStatus(HttpStatusCode.Created).Value!;
        var late = (await world.RepA.OpenDealAsync(lead.Id, DealKit.Deal(70m) with { ExpectedCloseDate = new DateOnly(2026, 9, 1) }))
            .EnsureStatus(HttpStatusCode.Created).Value!;
        (await world.RepA.MoveAsync(late.Id, "negotiation")).EnsureStatus(HttpStatusCode.OK);

        var mine = (await world.RepA.ListDealsAsync($"customerId={lead.Id}")).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal([late.Id, early.Id], mine.Items.Select(d => d.Id));
        Assert.Equal(2, mine.Total);
        Assert.Equal([late.Id], (await world.Manager.ListDealsAsync($"customerId={lead.Id}&stage=negotiation")).Value!.Items.Select(d => d.Id));
        Assert.Equal([early.Id], (await world.Manager.ListDealsAsync($"customerId={lead.Id}&closingBefore=2026-05-01")).Value!.Items.Select(d => d.Id));
        Assert.Equal(2, (await world.Admin.ListDealsAsync($"owner={world.RepA.UserId}&customerId={lead.Id}")).Value!.Total);
        Assert.Equal(0, (await world.Admin.ListDealsAsync($"owner={world.RepB.UserId}&customerId={lead.Id}")).Value!.Total);

        // Another rep of the team does not see a customer it does not own, nor its deals: to it they do not exist.
        Assert.Equal(0, (await world.RepB.ListDealsAsync($"customerId={lead.Id}")).Value!.Total);
        Assert.Equal(HttpStatusCode.NotFound, (await world.RepB.GetAsync($"/api/deals/{early.Id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await world.RepB.MoveAsync(early.Id, "intent")).Status);
    }

    [Fact]
    public async Task Lines_are_priced_from_the_catalogue_and_add_up_to_the_amount()
    {
        var world = await WorldAsync();
        var sku = $"SKU-{Guid.NewGuid():N}"[..16];
        var product = (await world.Admin.SendAsync<ProductDto>(HttpMethod.Post, "/api/products", new ProductRequest("CRM seat", sku, "seat", 1999.99m, "CNY")))
            .EnsureStatus(HttpStatusCode.Created).Value!;
        var duplicate = await world.Admin.SendAsync<ProductDto>(HttpMethod.Post, "/api/products", new ProductRequest("Other", sku.ToLowerInvariant(), null, 1m, "CNY"));
        Assert.Equal((HttpStatusCode.Conflict, ErrorCodes.ProductExists), (duplicate.Status, duplicate.Code));

        var lead = await world.OwnedLeadAsync();
        var deal = (await world.RepA.OpenDealAsync(lead.Id, DealKit.Deal(amount: null, lines:
        [
            new(product.Id, null, 3m, null, 10m),        // 3 × 1999.99 − 10 % = 5399.973 → 5399.97
            new(null, "Training day", 1m, 800m),
        ]))).EnsureStatus(HttpStatusCode.Created).Value!;

        Assert.Equal(6199.97m, deal.Amount);
        var read = (await world.RepA.SendAsync<DealDto>(HttpMethod.Get, $"/api/deals/{deal.Id}")).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal([("CRM seat", 5399.97m), ("Training day", 800m)], read.Lines!.Select(l => (l.Name, l.Total)));
    }

    [Fact]
    public async Task Bad_deals_are_refused_with_the_field_that_is_wrong()
    {
        var world = await WorldAsync();
        var lead = await world.OwnedLeadAsync();

        async Task<IReadOnlyList<string>> FieldsOf(CreateDealRequest request)
        {
            var response = await world.RepA.OpenDealAsync(lead.Id, request);
            Assert.Equal(HttpStatusCode.BadRequest, response.Status);
            return response.ErrorFields;
        }

        Assert.Contains("currency", await FieldsOf(DealKit.Deal(currency: "XQQ")));
        Assert.Contains("amount", await FieldsOf(DealKit.Deal(-1m)));
        Assert.Contains("amount", await FieldsOf(DealKit.Deal(100.5m, "JPY")));
        Assert.Contains("stageKey", await FieldsOf(DealKit.Deal(stageKey: "nowhere")));
        Assert.Contains("pipelineId", await FieldsOf(DealKit.Deal(pipelineId: "no-such-pipeline")));
        Assert.Contains("lines[0].quantity", await FieldsOf(DealKit.Deal(amount: null, lines: [new(null, "Seat", 0m, 10m)])));
        Assert.Contains("amount", await FieldsOf(DealKit.Deal(amount: 5m, lines: [new(null, "Seat", 1m, 10m)])));
        Assert.Contains("title", await FieldsOf(DealKit.Deal() with { Title = new string('x', 201) }));

        // Only a manager gives a deal to a rep other than the owner, and only to one who sees the customer (DealsFollowTheOwnerTests).
        var other = await world.RepA.OpenDealAsync(lead.Id, DealKit.Deal(repId: world.RepB.UserId));
        Assert.Equal(HttpStatusCode.Forbidden, other.Status);
        Assert.Contains("repId", (await world.Manager.OpenDealAsync(lead.Id, DealKit.Deal(repId: world.RepB.UserId))).ErrorFields);
        var byManager = (await world.Manager.OpenDealAsync(lead.Id, DealKit.Deal(repId: world.RepA.UserId))).EnsureStatus(HttpStatusCode.Created).Value!;
        Assert.Equal(world.RepA.UserId, byManager.RepId);
        Assert.Equal(HttpStatusCode.BadRequest, (await world.RepA.MoveAsync(byManager.Id, "nowhere")).Status);
    }
}

[Collection(ServerCollection.Name)]
public sealed class SqliteDealsEndToEndTests(ServerFixture fixture) : DealsEndToEndTests
{
    protected override ServerProcess Server => fixture.Server;
}

[Collection(PostgresServerCollection.Name)]
public sealed class PostgresDealsEndToEndTests(PostgresServerFixture fixture) : DealsEndToEndTests
{
    protected override ServerProcess Server => fixture.Server;
}
