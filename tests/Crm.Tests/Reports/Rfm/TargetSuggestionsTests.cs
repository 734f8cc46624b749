using System.Net;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Reports.Rfm;

/// <summary>
/// Machine-suggested targets over HTTP on the real server: follow-ups logged by the East reps from late August to the
/// end of November 2025; the suggestions for December are the growth times the 3-2-1 weighted average of each scope's
/// last three months, which the test counts itself (Shanghai months), and they split a target of their total by hand.
/// </summary>
public abstract class TargetSuggestionsTests
{
    protected abstract ServerProcess Server { get; }

    [Fact]
    public async Task Suggestions_weigh_each_scope_below_by_its_last_three_periods_and_split_a_target_of_their_total()
    {
        var world = await TargetsWorld.CreateAsync(Server);
        var sent = new List<(CrmApi Rep, DateTimeOffset At)>();
        foreach (var (rep, step) in new[] { (world.EastA, 29), (world.EastB, 41) })
        {
            var customer = await world.CustomerOfAsync(rep);
            for (var at = new DateTimeOffset(2025, 8, 25, 5, 0, 0, TimeSpan.Zero); at < new DateTimeOffset(2025, 12, 1, 0, 0, 0, TimeSpan.Zero); at = at.AddHours(step))
            {
                (await rep.SendAsync<TimelineEntryDto>(HttpMethod.Post, $"/api/customers/{customer.Id}/follow-ups",
                    new FollowUpRequest(FollowUpType.Call, "reached", At: at))).EnsureStatus(HttpStatusCode.Created);
                sent.Add((rep, at));
            }
        }

        var suggested = (await world.EastManager.SendAsync<TargetSuggestionsDto>(HttpMethod.Get,
            $"/api/targets/suggestions?scopeId={world.EastId}&period=2025-12&metric=followUps&growth=1.2")).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal([("orgUnit", world.EastTeamId), ("rep", world.EastB.UserId)], suggested.Suggestions.Select(s => (s.Scope, s.ScopeId)));
        foreach (var (suggestion, rep) in suggested.Suggestions.Zip(new[] { world.EastA, world.EastB }))
        {
            int Month(int month) => sent.Count(s => s.Rep == rep && TimeZoneInfo.ConvertTime(s.At, TargetsWorld.ZoneOf("east")) is var local
                && local.Year == 2025 && local.Month == month);
            Assert.Equal([("2025-11", (decimal)Month(11)), ("2025-10", Month(10)), ("2025-09", Month(9))], suggestion.History.Select(h => (h.Period, h.Value)));
            Assert.Equal(Math.Round(1.2m * (3 * Month(11) + 2 * Month(10) + Month(9)) / 6, 0, MidpointRounding.AwayFromZero), suggestion.Value);
        }

        var target = (await world.EastManager.SendAsync<TargetDto>(HttpMethod.Put, "/api/targets",
            new TargetRequest("orgUnit", world.EastId, "2025-12", "followUps", suggested.Total))).EnsureStatus(HttpStatusCode.OK).Value!;
        var split = (await world.EastManager.SendAsync<TargetSplitDto>(HttpMethod.Post, $"/api/targets/{target.Id}/split",
            new TargetSplitRequest("manual", suggested.Suggestions.Select(s => new TargetShare(s.ScopeId, s.Value)).ToList()))).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(suggested.Suggestions.Select(s => s.Value), split.Targets.Select(t => t.Value));

        // The export: a row per suggested scope with its value and the three periods it came from.
        var csv = (await world.EastManager.GetTextAsync($"/api/targets/suggestions/export?scopeId={world.EastId}&period=2025-12&metric=followUps&growth=1.2"))
            .EnsureStatus(HttpStatusCode.OK).Body!;
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal("scope,scopeId,value,period1,value1,period2,value2,period3,value3", lines[0]);
        Assert.Equal(suggested.Suggestions.Select(s => string.Join(',', new object[] { s.Scope, s.ScopeId, s.Value }.Concat(s.History.SelectMany(h => new object[] { h.Period, h.Value }))
            .Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)))), lines.Skip(1));
        var (status, xlsx) = await world.EastManager.GetBytesAsync($"/api/targets/suggestions/export?format=xlsx&scopeId={world.EastId}&period=2025-12&metric=followUps&growth=1.2");
        Assert.Equal(HttpStatusCode.OK, status);
        var sheet = MiniExcelLibs.MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(suggested.Suggestions.Select(s => (s.ScopeId, (double)s.Value)),
            sheet.Select(r => ((string)r["scopeId"]!, Convert.ToDouble(r["value"], System.Globalization.CultureInfo.InvariantCulture))));
        Assert.Equal(HttpStatusCode.NotFound, (await world.EastManager.GetTextAsync($"/api/targets/suggestions/export?scopeId={world.WestId}&period=2025-12&metric=followUps")).Status);

        var own = (await world.EastB.SendAsync<TargetSuggestionsDto>(HttpMethod.Get,
            $"/api/targets/suggestions?scope=rep&scopeId={world.EastB.UserId}&period=2025-12&metric=followUps")).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(1.1m, own.Growth);
        Assert.Equal(suggested.Suggestions[1].History, Assert.Single(own.Suggestions).History);
        Assert.Equal(HttpStatusCode.Forbidden, (await world.EastB.SendAsync<TargetSuggestionsDto>(HttpMethod.Get,
            $"/api/targets/suggestions?scopeId={world.EastId}&period=2025-12&metric=followUps")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await world.EastManager.SendAsync<TargetSuggestionsDto>(HttpMethod.Get,
            $"/api/targets/suggestions?scopeId={world.WestId}&period=2025-12&metric=followUps")).Status);
        var bad = await world.EastManager.SendAsync<TargetSuggestionsDto>(HttpMethod.Get, $"/api/targets/suggestions?scopeId={world.EastId}&period=2025-12&metric=calls&growth=11");
        Assert.Equal((HttpStatusCode.BadRequest, "growth,metric"), (bad.Status, string.Join(",", bad.ErrorFields.Order())));
    }
}

[Collection(ServerCollection.Name)]
public sealed class SqliteTargetSuggestionsTests(ServerFixture fixture) : TargetSuggestionsTests
{
    protected override ServerProcess Server => fixture.Server;
}

[Collection(PostgresServerCollection.Name)]
public sealed class PostgresTargetSuggestionsTests(PostgresServerFixture fixture) : TargetSuggestionsTests
{
    protected override ServerProcess Server => fixture.Server;
}
