using System.Net;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Reports;

/// <summary>
/// Leaderboards over HTTP on the real server: two months of follow-ups logged late (October and November 2025) by reps
/// in Shanghai and Moscow at generated times, so events fall either side of local midnights and of month ends; payments
/// in CNY and USD. The test ranks the reps and teams itself from what it sent (local dates of each rep's zone, its own
/// tie rule) and compares; who sees which board; the live LeaderboardChanged; bad input.
/// </summary>
public abstract class LeaderboardsApiTests
{
    protected abstract ServerProcess Server { get; }

    private sealed record Sent(CrmApi Rep, DateTimeOffset At, decimal Value, TimeZoneInfo Zone);

    [Fact]
    public async Task Boards_rank_reps_and_teams_by_what_they_did_in_their_local_days_with_the_previous_periods_ranks()
    {
        var world = await TargetsWorld.CreateAsync(Server);
        var followUps = await FollowUpsAsync(world, new Random(1217));
        CrmApi[] reps = [world.EastA, world.EastB, world.WestA];

        // The month of 2025-11-20 against October, on the world's top unit (its reps only).
        var month = await BoardAsync(world.Admin, $"metric=followUps&period=month&at=2025-11-20&scopeId={world.CompanyId}");
        Assert.Equal(("2025-11", "2025-10", new DateOnly(2025, 11, 1), new DateOnly(2025, 12, 1), 3), (month.Period, month.PreviousPeriod, month.From, month.To, month.Total));
        Assert.Equal(Expected(reps.Select(r => (r.UserId, Sum(followUps, [r], new(2025, 11, 1), new(2025, 12, 1)), Sum(followUps, [r], new(2025, 10, 1), new(2025, 11, 1))))),
            month.Entries.Select(Row));
        Assert.All(month.Entries, e => Assert.Equal("rep", e.Kind));

        // Teams: the top unit's children, East (its team and the rep right in it) against West.
        var teams = await BoardAsync(world.Admin, $"metric=followUps&period=month&at=2025-11-20&scopeId={world.CompanyId}&level=team");
        Assert.Equal(Expected(new (string, decimal, decimal)[]
            {
                (world.EastId, Sum(followUps, [world.EastA, world.EastB], new(2025, 11, 1), new(2025, 12, 1)), Sum(followUps, [world.EastA, world.EastB], new(2025, 10, 1), new(2025, 11, 1))),
                (world.WestId, Sum(followUps, [world.WestA], new(2025, 11, 1), new(2025, 12, 1)), Sum(followUps, [world.WestA], new(2025, 10, 1), new(2025, 11, 1))),
            }), teams.Entries.Select(Row));
        Assert.All(teams.Entries, e => Assert.Equal("team", e.Kind));

        // The ISO week of the make-up Saturday 2025-11-08 (3 to 9 November) against the week before, on East's board in Shanghai's calendar.
        var week = await BoardAsync(world.EastManager, $"metric=followUps&period=week&at=2025-11-08&scopeId={world.EastId}");
        Assert.Equal(("2025-W45", "2025-W44", "Asia/Shanghai"), (week.Period, week.PreviousPeriod, week.TimeZone));
        Assert.Equal(Expected(new[] { world.EastA, world.EastB }.Select(r => (r.UserId, Sum(followUps, [r], new(2025, 11, 3), new(2025, 11, 10)), Sum(followUps, [r], new(2025, 10, 27), new(2025, 11, 3))))),
            week.Entries.Select(Row));

        // Ties share a rank: a day when eastA and westA did two each and eastB nothing, after a day eastB led alone.
        foreach (var (rep, at) in new[] { (world.EastA, "2025-12-10T04:00:00Z"), (world.EastA, "2025-12-10T05:00:00Z"), (world.WestA, "2025-12-10T09:00:00Z"),
                     (world.WestA, "2025-12-10T10:00:00Z"), (world.EastB, "2025-12-09T04:00:00Z") })
        {
            await FollowUpAsync(world, rep, DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture));
        }

        var day = await BoardAsync(world.Admin, $"metric=followUps&period=day&at=2025-12-10&scopeId={world.CompanyId}");
        Assert.Equal(Expected(new (string, decimal, decimal)[] { (world.EastA.UserId, 2m, 0m), (world.WestA.UserId, 2m, 0m), (world.EastB.UserId, 0m, 1m) }),
            day.Entries.Select(Row));
        Assert.Equal([(1, 2, 1), (1, 2, 1), (3, 1, -2)], day.Entries.Select(e => (e.Rank, e.PreviousRank, e.RankChange)));
        Assert.Equal([day.Entries[0].Id], (await BoardAsync(world.Admin, $"metric=followUps&period=day&at=2025-12-10&scopeId={world.CompanyId}&limit=1"))
            .Entries.Select(e => e.Id));
    }

    [Fact]
    public async Task Money_boards_are_in_the_base_currency_at_each_days_rate()
    {
        var world = await TargetsWorld.CreateAsync(Server);
        (await world.Admin.SendAsync<Page<CurrencyRateDto>>(HttpMethod.Put, "/api/currency-rates",
            new CurrencyRatesRequest([new("USD", new DateOnly(2025, 10, 20), 7.1m)]))).EnsureStatus(HttpStatusCode.OK);
        var paid = new List<Sent>();
        foreach (var (rep, currency, rate, amounts) in new[]
                 {
                     (world.EastA, "CNY", 1m, new[] { 1000m, 2500.25m }), (world.EastB, "USD", 7.1m, new[] { 500m, -300m }), (world.WestA, "USD", 7.1m, new[] { 420m }),
                 })
        {
            var contract = await world.ContractOfAsync(rep, currency);
            for (var i = 0; i < amounts.Length; i++)
            {
                var at = new DateTimeOffset(2025, 11, 3 + i, 6, 0, 0, TimeSpan.Zero);
                (await rep.SendAsync<PaymentDto>(HttpMethod.Post, $"/api/contracts/{contract}/payments",
                    new PaymentRequest(amounts[i], at, "bank-transfer", null, amounts[i] < 0 ? "returned goods" : null))).EnsureStatus(HttpStatusCode.Created);
                paid.Add(new Sent(rep, at, Math.Round(amounts[i] * rate, 2), ZoneOf(world, rep)));
            }
        }

        var board = await BoardAsync(world.Admin, $"metric=paymentsReceived&period=quarter&at=2025-11-20&scopeId={world.CompanyId}");
        Assert.Equal(("2025-Q4", "2025-Q3", "CNY"), (board.Period, board.PreviousPeriod, board.Currency));
        Assert.Empty(board.MissingRates);
        Assert.Equal(Expected(new[] { world.EastA, world.EastB, world.WestA }.Select(r => (r.UserId, Sum(paid, [r], new(2025, 10, 1), new(2026, 1, 1)), 0m))),
            board.Entries.Select(Row));

        // The same board as CSV and XLSX: a row per entry, numbers as numbers.
        var query = $"metric=paymentsReceived&period=quarter&at=2025-11-20&scopeId={world.CompanyId}";
        var csv = (await world.Admin.GetTextAsync($"/api/leaderboards/export?{query}")).EnsureStatus(HttpStatusCode.OK).Body!;
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal("rank,id,kind,value,previousRank,previousValue,rankChange", lines[0]);
        Assert.Equal(board.Entries.Select(e => string.Join(',', e.Rank, e.Id, e.Kind, e.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
            e.PreviousRank, e.PreviousValue.ToString(System.Globalization.CultureInfo.InvariantCulture), e.RankChange)), lines.Skip(1));
        var (status, xlsx) = await world.Admin.GetBytesAsync($"/api/leaderboards/export?format=xlsx&{query}");
        Assert.Equal(HttpStatusCode.OK, status);
        var sheet = MiniExcelLibs.MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(board.Entries.Select(e => (e.Id, (double)e.Value)),
            sheet.Select(r => ((string)r["id"]!, Convert.ToDouble(r["value"], System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Fact]
    public async Task A_rep_sees_its_own_units_board_a_manager_its_subtree_and_nobody_else_theirs()
    {
        var world = await TargetsWorld.CreateAsync(Server);
        await FollowUpAsync(world, world.EastA, new DateTimeOffset(2025, 11, 5, 3, 0, 0, TimeSpan.Zero));

        // No scopeId: the caller's own unit. eastA's unit is the East team: eastA only, not eastB who sits in East.
        var own = await BoardAsync(world.EastA, "metric=followUps&period=month&at=2025-11-05");
        Assert.Equal((world.EastTeamId, 1), (own.ScopeId, own.Total));
        Assert.Equal((world.EastA.UserId, 1m), (own.Entries[0].Id, own.Entries[0].Value));
        Assert.Equal(HttpStatusCode.NotFound, (await Board(world.EastA, $"metric=followUps&scopeId={world.EastId}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Board(world.EastA, $"metric=followUps&scopeId={world.WestTeamId}")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Board(world.EastA, "metric=followUps&scopeId=company")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await world.EastA.GetTextAsync($"/api/leaderboards/export?metric=followUps&scopeId={world.EastId}")).Status);

        var east = await BoardAsync(world.EastManager, "metric=followUps&period=month&at=2025-11-05");
        Assert.Equal(world.EastId, east.ScopeId);
        Assert.Equal([world.EastA.UserId, world.EastB.UserId], east.Entries.Select(e => e.Id));
        Assert.Equal(HttpStatusCode.OK, (await Board(world.EastManager, $"metric=followUps&scopeId={world.EastTeamId}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Board(world.EastManager, $"metric=followUps&scopeId={world.WestId}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Board(world.EastManager, $"metric=followUps&scopeId={world.CompanyId}")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Board(world.EastManager, "metric=followUps&scopeId=company")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Board(world.Admin, "metric=followUps&scopeId=no-such-unit")).Status);
    }

    [Fact]
    public async Task Watchers_of_a_board_hear_LeaderboardChanged_when_its_reps_figures_move()
    {
        var world = await TargetsWorld.CreateAsync(Server);
        var eastBs = await world.CustomerOfAsync(world.EastB);
        var eastAs = await world.CustomerOfAsync(world.EastA);
        await using var rep = await EventRecorder.ConnectAsync(world.EastA);
        await using var manager = await EventRecorder.ConnectAsync(world.EastManager);
        await using var west = await EventRecorder.ConnectAsync(world.WestA);
        Assert.True(await rep.WatchLeaderboardAsync(null));
        Assert.True(await manager.WatchLeaderboardAsync(world.EastId));
        Assert.False(await manager.WatchLeaderboardAsync(world.WestId));
        Assert.False(await rep.WatchLeaderboardAsync(world.EastId));
        Assert.True(await west.WatchLeaderboardAsync(world.WestTeamId));

        // A push names the metrics that moved (creating the customers moved newCustomers, maybe pushed after the watch began).
        static bool FollowUps(LeaderboardChanged e) => e.Metrics.Contains("followUps");
        await FollowUpAsync(world.EastB, eastBs.Id, new DateTimeOffset(2025, 11, 5, 3, 0, 0, TimeSpan.Zero));
        await manager.WaitForAsync<LeaderboardChanged>(e => e.ScopeId == world.EastId && FollowUps(e));

        await FollowUpAsync(world.EastA, eastAs.Id, new DateTimeOffset(2025, 11, 5, 4, 0, 0, TimeSpan.Zero));
        await rep.WaitForAsync<LeaderboardChanged>(e => e.ScopeId == world.EastTeamId && FollowUps(e));

        // eastB sits in East, not in the East team; nothing East did reaches the West team's board.
        Assert.Single(rep.All<LeaderboardChanged>(FollowUps));
        Assert.Empty(west.All<LeaderboardChanged>(_ => true));
    }

    [Fact]
    public async Task A_managers_import_tells_the_boards_it_is_on_that_newCustomers_moved()
    {
        var world = await TargetsWorld.CreateAsync(Server);
        await using var manager = await EventRecorder.ConnectAsync(world.EastManager);
        Assert.True(await manager.WatchLeaderboardAsync(world.EastId));

        // One batch of 300 leads, each crediting the manager with a new customer: the batch's hints reach the board as one.
        // The company is quoted: its comma is not a separator (a row with more cells than the header is rejected).
        var rows = Enumerable.Range(0, 300).Select(i => $"Lead {i} {Guid.NewGuid():N},\"Board {Guid.NewGuid():N} Trading Co., Ltd.\"");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/customers/import?poolId={world.EastPool}")
        {
            Content = new StringContent("name,company\n" + string.Join("\n", rows), System.Text.Encoding.UTF8, "text/csv"),
        };
        Assert.Equal(HttpStatusCode.OK, (await world.EastManager.SendRawAsync(request)).Status);
        Assert.Equal(300, (await world.Admin.SearchAsync($"poolId={world.EastPool}&pageSize=1")).EnsureStatus(HttpStatusCode.OK).Value!.Total);

        await manager.WaitForAsync<LeaderboardChanged>(e => e.ScopeId == world.EastId && e.Metrics.Contains("newCustomers"));
    }

    [Theory]
    [InlineData("metric=calls", "metric")]
    [InlineData("period=month", "metric")]
    [InlineData("metric=followUps&period=year", "period")]
    [InlineData("metric=followUps&level=company", "level")]
    [InlineData("metric=followUps&at=1999-12-31", "at")]
    [InlineData("metric=followUps&limit=0", "limit")]
    [InlineData("metric=followUps&limit=1001", "limit")]
    [InlineData("metric=followUps&format=pdf", "format")]
    public async Task A_board_that_makes_no_sense_is_refused_naming_the_field(string query, string field)
    {
        var admin = await Server.Api().LoginAsAdminAsync();
        var refused = await admin.SendAsync<LeaderboardDto>(HttpMethod.Get, $"/api/leaderboards{(query.Contains("format=") ? "/export" : "")}?{query}");
        Assert.Equal((HttpStatusCode.BadRequest, field), (refused.Status, string.Join(",", refused.ErrorFields)));
    }

    private static (int Rank, string Id, decimal Value, int PreviousRank, decimal PreviousValue, int Change) Row(LeaderboardEntryDto e) =>
        (e.Rank, e.Id, e.Value, e.PreviousRank, e.PreviousValue, e.RankChange);

    /// <summary>The test's own ranking: by value, highest first; equal values share the rank of the first of them, listed by id.</summary>
    private static List<(int Rank, string Id, decimal Value, int PreviousRank, decimal PreviousValue, int Change)> Expected(
        IEnumerable<(string Id, decimal Now, decimal Before)> values)
    {
        var list = values.ToList();
        int RankOf(decimal value, Func<(string Id, decimal Now, decimal Before), decimal> of) => 1 + list.Count(v => of(v) > value);
        return list.OrderByDescending(v => v.Now).ThenBy(v => v.Id, StringComparer.Ordinal)
            .Select(v => (RankOf(v.Now, x => x.Now), v.Id, v.Now, RankOf(v.Before, x => x.Before), v.Before, RankOf(v.Before, x => x.Before) - RankOf(v.Now, x => x.Now)))
            .ToList();
    }

    private static Task<ApiResponse<LeaderboardDto>> Board(CrmApi api, string query) =>
        api.SendAsync<LeaderboardDto>(HttpMethod.Get, $"/api/leaderboards?{query}");

    private static async Task<LeaderboardDto> BoardAsync(CrmApi api, string query) => (await Board(api, query)).EnsureStatus(HttpStatusCode.OK).Value!;

    private static async Task FollowUpAsync(TargetsWorld world, CrmApi rep, DateTimeOffset at) => await FollowUpAsync(rep, (await world.CustomerOfAsync(rep)).Id, at);

    private static async Task FollowUpAsync(CrmApi rep, Guid customer, DateTimeOffset at) =>
        (await rep.SendAsync<TimelineEntryDto>(HttpMethod.Post, $"/api/customers/{customer}/follow-ups",
            new FollowUpRequest(FollowUpType.Call, "reached", At: at))).EnsureStatus(HttpStatusCode.Created);

    /// <summary>Follow-ups logged late from 2025-09-28 to 2025-12-02 (UTC), each rep at its own generated pace (every 5 to 40 hours).</summary>
    private static async Task<List<Sent>> FollowUpsAsync(TargetsWorld world, Random random)
    {
        var sent = new List<Sent>();
        foreach (var rep in new[] { world.EastA, world.EastB, world.WestA })
        {
            var customer = await world.CustomerOfAsync(rep);
            for (var at = new DateTimeOffset(2025, 9, 28, random.Next(24), 0, 0, TimeSpan.Zero); at < new DateTimeOffset(2025, 12, 2, 0, 0, 0, TimeSpan.Zero);
                 at = at.AddHours(random.Next(5, 41)))
            {
                (await rep.SendAsync<TimelineEntryDto>(HttpMethod.Post, $"/api/customers/{customer.Id}/follow-ups",
                    new FollowUpRequest(FollowUpType.Call, "reached", At: at))).EnsureStatus(HttpStatusCode.Created);
                sent.Add(new Sent(rep, at, 1, ZoneOf(world, rep)));
            }
        }

        return sent;
    }

    /// <summary>What the reps sent on local days in [from, to) of their own zones (eastA and eastB in Shanghai, westA in Moscow).</summary>
    private static decimal Sum(List<Sent> sent, CrmApi[] reps, DateOnly from, DateOnly to) => sent
        .Where(s => reps.Contains(s.Rep))
        .Where(s => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(s.At, s.Zone).DateTime) is var day && day >= from && day < to)
        .Sum(s => s.Value);

    private static TimeZoneInfo ZoneOf(TargetsWorld world, CrmApi rep) => TargetsWorld.ZoneOf(rep == world.WestA ? "west" : "east");
}

[Collection(ServerCollection.Name)]
public sealed class SqliteLeaderboardsApiTests(ServerFixture fixture) : LeaderboardsApiTests
{
    protected override ServerProcess Server => fixture.Server;
}

[Collection(PostgresServerCollection.Name)]
public sealed class PostgresLeaderboardsApiTests(PostgresServerFixture fixture) : LeaderboardsApiTests
{
    protected override ServerProcess Server => fixture.Server;
}
