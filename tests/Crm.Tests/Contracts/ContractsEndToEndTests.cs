using System.Net;
using Crm.Client;
using Crm.Tests.Deals;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Contracts;

/// <summary>
/// Contracts and payments over HTTP on the real server: a lead becomes a customer through a won deal, signs a contract
/// with a three-instalment plan, pays twice (allocated oldest instalment first), and the receivables show the rest;
/// refunds, and the refusals a user must get (plan not adding up, negative amounts, unknown currency, refund beyond paid).
/// </summary>
public abstract class ContractsEndToEndTests
{
    private static readonly PerServer<TestWorld> Worlds = new(server => TestWorld.CreateAsync(server));

    protected abstract ServerProcess Server { get; }

    private Task<TestWorld> WorldAsync() => Worlds.ForAsync(Server);

    [Fact]
    public async Task A_won_deal_gets_a_contract_two_payments_arrive_and_the_receivables_show_the_rest()
    {
        var world = await WorldAsync();
        var lead = await world.OwnedLeadAsync("Chen Jing");
        await using var manager = await EventRecorder.ConnectAsync(world.Manager);
        await using var owner = await EventRecorder.ConnectAsync(world.RepA);
        var deal = (await world.RepA.OpenDealAsync(lead.Id, DealKit.Deal(118_500m))).EnsureStatus(HttpStatusCode.Created).Value!;
        var early = await world.RepA.SignAsync(deal.Id, ContractKit.Contract());
        Assert.Equal((HttpStatusCode.Conflict, ErrorCodes.DealNotWon), (early.Status, early.Code));
        (await world.RepA.WinAsync(deal.Id)).EnsureStatus(HttpStatusCode.OK);

        var number = ContractKit.NewNumber();
        var contract = (await world.RepA.SignAsync(deal.Id, ContractKit.Contract(number: number))).EnsureStatus(HttpStatusCode.Created).Value!;
        Assert.Equal((number, 118_500m, "CNY", 0m, 118_500m, world.RepA.UserId), (contract.Number, contract.Amount, contract.Currency, contract.Paid, contract.Outstanding, contract.RepId));
        Assert.Equal([(1, new DateOnly(2020, 2, 10), 30_000m), (2, new DateOnly(2020, 3, 10), 50_000m), (3, new DateOnly(2049, 6, 30), 38_500m)],
            contract.PaymentPlan!.Select(i => (i.No, i.DueDate, i.Amount)));
        // The team's unit follows no calendar of its own: UTC, so the first instalment is overdue from 2020-02-11 00:00 UTC.
        Assert.Equal(new DateTimeOffset(2020, 2, 11, 0, 0, 0, TimeSpan.Zero), contract.PaymentPlan![0].OverdueAt);

        var first = (await world.RepA.PayAsync(contract.Id, 40_000m)).EnsureStatus(HttpStatusCode.Created).Value!;
        Assert.Equal([new PaymentAllocationDto(1, 30_000m), new PaymentAllocationDto(2, 10_000m)], first.Allocations);
        var told = await manager.WaitForAsync<PaymentReceived>(lead.Id);
        Assert.Equal((contract.Id, 40_000m, "CNY", 40_000m, 78_500m), (told.ContractId, told.Amount, told.Currency, told.ContractPaid, told.ContractOutstanding));
        Assert.Equal(first.Id, (await owner.WaitForAsync<PaymentReceived>(lead.Id)).PaymentId);
        var second = (await world.Manager.PayAsync(contract.Id, 25_000.5m, method: "wechat-pay")).EnsureStatus(HttpStatusCode.Created).Value!;
        Assert.Equal([new PaymentAllocationDto(2, 25_000.5m)], second.Allocations);

        var read = (await world.RepA.GetContractAsync(contract.Id)).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal((65_000.5m, 53_499.5m), (read.Paid, read.Outstanding));
        Assert.Equal([30_000m, 35_000.5m, 0m], read.PaymentPlan!.Select(i => i.Paid));
        Assert.Equal([first.Id, second.Id], read.Payments!.Select(p => p.Id));
        Assert.Equal("wechat-pay", read.Payments![1].Method);

        var receivables = (await world.Manager.ReceivablesAsync($"customerId={lead.Id}")).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal([(2, 50_000m, 35_000.5m, 14_999.5m, true), (3, 38_500m, 0m, 38_500m, false)],
            receivables.Items.Select(r => (r.InstalmentNo, r.Due, r.Paid, r.Outstanding, r.Overdue)));
        Assert.True(receivables.Items[0].DaysOverdue > 1_000);
        Assert.Equal(0, receivables.Items[1].DaysOverdue);
        Assert.Equal([new CurrencyTotalDto("CNY", 88_500m, 35_000.5m, 53_499.5m)], receivables.Totals);
        Assert.Equal(("CNY", 53_499.5m), (receivables.BaseCurrency, receivables.OutstandingInBase));
        var overdue = (await world.RepA.ReceivablesAsync($"overdue=true&scope=mine&customerId={lead.Id}")).Value!;
        Assert.Equal([2], overdue.Items.Select(r => r.InstalmentNo));
        var notYet = (await world.RepA.ReceivablesAsync($"overdue=false&scope=mine&customerId={lead.Id}")).Value!;
        Assert.Equal([3], notYet.Items.Select(r => r.InstalmentNo)); // false is "not overdue", not "any"
        Assert.Equal(0, (await world.RepB.ReceivablesAsync($"customerId={lead.Id}")).Value!.Total);
        Assert.Equal(2, (await world.Admin.ReceivablesAsync($"scope={world.OrgUnitId}&customerId={lead.Id}")).Value!.Total);

        var timeline = (await world.RepA.TimelineAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(["contract-signed", "payment-received", "payment-received"],
            timeline.Where(e => e.Kind is "contract-signed" or "payment-received").Select(e => e.Kind));
        var listed = (await world.Manager.SendAsync<Page<ContractDto>>(HttpMethod.Get, $"/api/contracts?customerId={lead.Id}")).Value!;
        Assert.Equal([contract.Id], listed.Items.Select(c => c.Id));
    }

    [Fact]
    public async Task A_refund_gives_back_the_latest_instalment_first_and_never_more_than_was_paid()
    {
        var world = await WorldAsync();
        var (customer, deal) = await world.WonDealAsync();
        var contract = (await world.RepA.SignAsync(deal.Id, ContractKit.Contract())).EnsureStatus(HttpStatusCode.Created).Value!;
        (await world.RepA.PayAsync(contract.Id, 40_000m)).EnsureStatus(HttpStatusCode.Created);

        var noReason = await world.RepA.PayAsync(contract.Id, -5_000m);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.Status);
        Assert.Contains("reason", noReason.ErrorFields);
        var tooMuch = await world.RepA.PayAsync(contract.Id, -40_000.01m, "returned goods");
        Assert.Equal(HttpStatusCode.BadRequest, tooMuch.Status);
        Assert.Contains("amount", tooMuch.ErrorFields);
        var overpaid = await world.RepA.PayAsync(contract.Id, 78_500.01m);
        Assert.Contains("amount", overpaid.ErrorFields);

        await using var owner = await EventRecorder.ConnectAsync(world.RepA);
        var refund = (await world.RepA.PayAsync(contract.Id, -15_000m, "returned goods")).EnsureStatus(HttpStatusCode.Created).Value!;
        Assert.Equal([new PaymentAllocationDto(2, -10_000m), new PaymentAllocationDto(1, -5_000m)], refund.Allocations);
        var told = await owner.WaitForAsync<PaymentReceived>(customer.Id);
        Assert.Equal((-15_000m, "returned goods", 25_000m), (told.Amount, told.Reason, told.ContractPaid));
        var read = (await world.RepA.GetContractAsync(contract.Id)).Value!;
        Assert.Equal([25_000m, 0m, 0m], read.PaymentPlan!.Select(i => i.Paid));
    }

    [Fact]
    public async Task A_payment_is_not_dated_before_its_contract_was_signed_nor_a_refund_before_the_money_it_gives_back()
    {
        var world = await WorldAsync();
        var (_, deal) = await world.WonDealAsync();
        // Signed 2020-01-10 03:00 UTC: a contract entered after the fact, its history laid out on the dates it happened.
        var contract = (await world.RepA.SignAsync(deal.Id, ContractKit.Contract())).EnsureStatus(HttpStatusCode.Created).Value!;
        Task<ApiResponse<PaymentDto>> PayAsync(decimal amount, DateTimeOffset at) => world.RepA.SendAsync<PaymentDto>(HttpMethod.Post,
            $"/api/contracts/{contract.Id}/payments", new PaymentRequest(amount, at, "bank-transfer", null, amount < 0 ? "returned goods" : null));
        DateTimeOffset Utc(int year, int month, int day, int hour = 9) => new(year, month, day, hour, 0, 0, TimeSpan.Zero);

        // Before the signing day (less a day for time zones): refused, saying from when it may be.
        foreach (var at in new[] { Utc(2001, 1, 1), Utc(2020, 1, 8, 12) })
        {
            var early = await PayAsync(10m, at);
            Assert.Equal(HttpStatusCode.BadRequest, early.Status);
            Assert.Contains("'receivedAt' is 2020-01-09 or later", early.FirstError("receivedAt"));
        }

        // The signing day's midnight in UTC+14 is the UTC day before: within the allowance.
        var first = (await PayAsync(1_000m, new DateTimeOffset(2020, 1, 10, 0, 0, 0, TimeSpan.FromHours(14)))).EnsureStatus(HttpStatusCode.Created).Value!;
        var second = (await PayAsync(40_000m, Utc(2020, 2, 20))).EnsureStatus(HttpStatusCode.Created).Value!;

        // A refund before any money arrived, or of more than had arrived by its date: refused; once the money is there, accepted.
        Assert.Equal(HttpStatusCode.BadRequest, (await PayAsync(-15m, Utc(2000, 6, 1))).Status);
        var tooEarly = await PayAsync(-5_000m, Utc(2020, 2, 1));
        Assert.Equal(HttpStatusCode.BadRequest, tooEarly.Status);
        Assert.Contains("'receivedAt' is 2020-02-19 or later", tooEarly.FirstError("receivedAt"));
        var refund = (await PayAsync(-5_000m, Utc(2020, 2, 21))).EnsureStatus(HttpStatusCode.Created).Value!;

        var read = (await world.RepA.GetContractAsync(contract.Id)).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal((36_000m, 82_500m), (read.Paid, read.Outstanding));
        Assert.Equal(new[] { first.Id, second.Id, refund.Id }.Order(), read.Payments!.Select(p => p.Id).Order());
        // Nothing was received by the rep in 2000 or 2001: no negative "payments received" years before the money.
        foreach (var year in new[] { "2000", "2001" })
        {
            var progress = (await world.RepA.SendAsync<TargetProgressReport>(HttpMethod.Get,
                $"/api/targets/progress?scope=rep&scopeId={world.RepA.UserId}&period={year}&metric=paymentsReceived")).EnsureStatus(HttpStatusCode.OK).Value!;
            Assert.Equal(0m, Assert.Single(progress.Metrics).Value);
        }
    }

    [Fact]
    public async Task Bad_contracts_and_payments_are_refused_with_the_field_that_is_wrong()
    {
        var world = await WorldAsync();
        var (_, deal) = await world.WonDealAsync(100m, "JPY");

        async Task<IReadOnlyList<string>> FieldsOf(CreateContractRequest request)
        {
            var response = await world.RepA.SignAsync(deal.Id, request);
            Assert.Equal(HttpStatusCode.BadRequest, response.Status);
            return response.ErrorFields;
        }

        Assert.Contains("paymentPlan", await FieldsOf(ContractKit.Contract(100m, [new(new DateOnly(2020, 2, 1), 60m), new(new DateOnly(2020, 3, 1), 30m)])));
        Assert.Contains("paymentPlan[1].amount", await FieldsOf(ContractKit.Contract(100m, [new(new DateOnly(2020, 2, 1), 110m), new(new DateOnly(2020, 3, 1), -10m)])));
        Assert.Contains("amount", await FieldsOf(ContractKit.Contract(-100m, [new(new DateOnly(2020, 2, 1), -100m)])));
        Assert.Contains("amount", await FieldsOf(ContractKit.Contract(100.5m, [new(new DateOnly(2020, 2, 1), 100.5m)])));
        Assert.Contains("paymentPlan", await FieldsOf(ContractKit.Contract(100m, [])));
        Assert.Contains("paymentPlan[0].dueDate", await FieldsOf(ContractKit.Contract(100m, [new(new DateOnly(2019, 1, 1), 100m)])));
        Assert.Contains("number", await FieldsOf(ContractKit.Contract(100m, [new(new DateOnly(2020, 2, 1), 100m)], number: new string('x', 65))));
        Assert.Contains("signedAt", await FieldsOf(new CreateContractRequest(ContractKit.NewNumber(), 100m, null, [new(new DateOnly(2020, 2, 1), 100m)])));

        var number = ContractKit.NewNumber();
        var contract = (await world.RepA.SignAsync(deal.Id, ContractKit.Contract(100m, [new(new DateOnly(2020, 2, 1), 100m)], number)))
            .EnsureStatus(HttpStatusCode.Created).Value!;
        var again = await world.RepA.SignAsync(deal.Id, ContractKit.Contract(100m, [new(new DateOnly(2020, 2, 1), 100m)]));
        Assert.Equal((HttpStatusCode.Conflict, ErrorCodes.ContractExists), (again.Status, again.Code));
        var (_, other) = await world.WonDealAsync(100m, "JPY");
        var taken = await world.RepA.SignAsync(other.Id, ContractKit.Contract(100m, [new(new DateOnly(2020, 2, 1), 100m)], $" {number.ToLowerInvariant()} "));
        Assert.Equal((HttpStatusCode.Conflict, ErrorCodes.ContractNumberTaken), (taken.Status, taken.Code));

        Assert.Contains("amount", (await world.RepA.PayAsync(contract.Id, 0m)).ErrorFields);
        Assert.Contains("amount", (await world.RepA.PayAsync(contract.Id, 10.5m)).ErrorFields);
        Assert.Contains("method", (await world.RepA.PayAsync(contract.Id, 10m, method: "barter")).ErrorFields);
        Assert.Equal(HttpStatusCode.NotFound, (await world.RepA.PayAsync("k-nosuchcontract", 10m)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await world.RepA.SignAsync("d-nosuchdeal", ContractKit.Contract())).Status);
        // Another rep of the team does not see this customer's contract: to it, reading or paying it, the contract does not exist.
        Assert.Equal(HttpStatusCode.NotFound, (await world.RepB.GetContractAsync(contract.Id)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await world.RepB.PayAsync(contract.Id, 10m)).Status);
    }

    [Fact]
    public async Task Rates_convert_at_the_latest_date_on_or_before_the_day_and_bad_rates_are_refused()
    {
        var world = await WorldAsync();
        var settings = (await world.RepA.SendAsync<CurrencySettingsDto>(HttpMethod.Get, "/api/currency-settings")).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal("CNY", settings.BaseCurrency);
        Assert.Contains(new CurrencyDto("JPY", 0), settings.Currencies);
        // The years are this test's own: other tests on the same server keep to other days.
        (await world.Admin.SendAsync<Page<CurrencyRateDto>>(HttpMethod.Put, "/api/currency-rates", new CurrencyRatesRequest(
        [
            new("USD", new DateOnly(2031, 1, 1), 7.1234m),
            new("USD", new DateOnly(2031, 2, 1), 7.2m),
        ]))).EnsureStatus(HttpStatusCode.OK);

        async Task<ConversionDto> ConvertAsync(string query) =>
            (await world.RepA.SendAsync<ConversionDto>(HttpMethod.Get, $"/api/currency-rates/convert?{query}")).EnsureStatus(HttpStatusCode.OK).Value!;
        var january = await ConvertAsync("amount=100.01&currency=USD&date=2031-01-31");
        Assert.Equal((712.41m, 7.1234m, new DateOnly(2031, 1, 1), "CNY"), (january.Converted!.Value, january.Rate!.Value, january.RateDate!.Value, january.BaseCurrency));
        Assert.Equal(720m, (await ConvertAsync("amount=100&currency=USD&date=2031-02-01")).Converted);
        Assert.Equal(5m, (await ConvertAsync("amount=5&currency=CNY&date=2031-02-01")).Converted);
        var listed = (await world.RepA.SendAsync<Page<CurrencyRateDto>>(HttpMethod.Get, "/api/currency-rates?currency=USD&from=2031-01-01&to=2031-12-31")).Value!;
        Assert.Equal([new CurrencyRateDto("USD", new DateOnly(2031, 2, 1), 7.2m), new CurrencyRateDto("USD", new DateOnly(2031, 1, 1), 7.1234m)], listed.Items);

        var bad = await world.Admin.SendAsync<Page<CurrencyRateDto>>(HttpMethod.Put, "/api/currency-rates", new CurrencyRatesRequest(
        [
            new("XQQ", new DateOnly(2031, 1, 1), 1m),
            new("USD", new DateOnly(2031, 1, 1), 0m),
            new("CNY", new DateOnly(2031, 1, 1), 1m),
            new("EUR", new DateOnly(1999, 1, 1), 7m),
        ]));
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Equal(["rates[0].currency", "rates[1].rate", "rates[2].currency", "rates[3].date"], bad.ErrorFields.Order());
        Assert.Equal(HttpStatusCode.Forbidden, (await world.Manager.SendAsync<Page<CurrencyRateDto>>(HttpMethod.Put, "/api/currency-rates",
            new CurrencyRatesRequest([new("USD", new DateOnly(2031, 3, 1), 7m)]))).Status);
        Assert.Contains("currency", (await world.RepA.SendAsync<ConversionDto>(HttpMethod.Get, "/api/currency-rates/convert?amount=1&currency=XQQ")).ErrorFields);

        var unknownBase = await world.Admin.SendAsync<CurrencySettingsDto>(HttpMethod.Put, "/api/currency-settings", new CurrencySettingsRequest("XQQ"));
        Assert.Contains("baseCurrency", unknownBase.ErrorFields);
        var otherBase = await world.Admin.SendAsync<CurrencySettingsDto>(HttpMethod.Put, "/api/currency-settings", new CurrencySettingsRequest("USD"));
        Assert.Equal((HttpStatusCode.Conflict, ErrorCodes.BaseCurrencyHasRates), (otherBase.Status, otherBase.Code));
    }
}

[Collection(ServerCollection.Name)]
public sealed class SqliteContractsEndToEndTests(ServerFixture fixture) : ContractsEndToEndTests
{
    protected override ServerProcess Server => fixture.Server;
}

[Collection(PostgresServerCollection.Name)]
public sealed class PostgresContractsEndToEndTests(PostgresServerFixture fixture) : ContractsEndToEndTests
{
    protected override ServerProcess Server => fixture.Server;
}
