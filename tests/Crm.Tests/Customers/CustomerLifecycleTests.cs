using System.Net;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Customers;

/// <summary>The day of a rep, end to end over HTTP against the real server; run on both storage profiles.</summary>
public abstract class CustomerLifecycleTests
{
    protected abstract ServerProcess Server { get; }

    [Fact]
    public async Task A_lead_created_into_a_pool_is_listed_as_unowned_and_found_by_name_company_and_phone()
    {
        var world = await TestWorld.CreateAsync(Server);
        var lead = await world.NewLeadAsync("Zhang San " + world.PoolId, "Hangzhou Lianhe Co., Ltd.", "+86 139-1234-5678");

        Assert.Equal(Stage.Lead, lead.Stage);
        Assert.Null(lead.OwnerId);
        Assert.Equal(world.PoolId, lead.PoolId);

        var inPool = (await world.RepA.SendAsync<Page<CustomerDto>>(HttpMethod.Get, $"/api/pools/{world.PoolId}/customers"))
            .EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal([lead.Id], inPool.Items.Select(c => c.Id));

        foreach (var query in new[] { "zhang san", "LIANHE", "13912345678", "1234-5678" })
        {
            var found = (await world.RepA.SearchAsync($"poolId={world.PoolId}&query={Uri.EscapeDataString(query)}"))
                .EnsureStatus(HttpStatusCode.OK).Value!;
            Assert.True(found.Items.Any(c => c.Id == lead.Id), $"query '{query}' did not find the lead");
        }

        var none = (await world.RepA.SearchAsync($"poolId={world.PoolId}&query=nobody-has-this-name")).Value!;
        Assert.Empty(none.Items);
        Assert.Equal(0, none.Total);
    }

    /// <summary>
    /// A phone is found whichever format the search and the card wrote it in (international prefix, country code, the
    /// Russian trunk 8), and a Russian name with ё is found typed with е and with ё.
    /// </summary>
    [Fact]
    public async Task A_search_finds_a_phone_across_formats_and_a_name_with_yo_typed_without_it()
    {
        var world = await TestWorld.CreateAsync(Server);
        var moscow = await world.NewLeadAsync("Пётр Семёнов " + world.PoolId, "ООО «Ёлка»", "8 (912) 345-67-89");
        var hangzhou = await world.NewLeadAsync("Wang Fang " + world.PoolId, "Hangzhou Lianhe", "139 1234 5678");

        foreach (var (query, expected) in new[]
        {
            ("+7 912 345 67 89", moscow.Id), ("79123456789", moscow.Id), ("8-912-345-67-89", moscow.Id), ("ёлка", moscow.Id), ("елка", moscow.Id),
            ("семенов", moscow.Id), ("+86 139 1234 5678", hangzhou.Id), ("008613912345678", hangzhou.Id),
        })
        {
            var found = (await world.RepA.SearchAsync($"poolId={world.PoolId}&query={Uri.EscapeDataString(query)}")).EnsureStatus(HttpStatusCode.OK).Value!;
            Assert.True(found.Items.Select(c => c.Id).SequenceEqual([expected]), $"query '{query}' found {found.Total}, not only the customer");
        }
    }

    /// <summary>
    /// A query typed with a Chinese input method in full-width (digits, Latin letters) finds what create stored
    /// half-width, and a customer created in full-width is stored half-width and found by an ASCII query; invisible
    /// marks pasted with a query (a number copied from iPhone contacts) do not hide it either.
    /// </summary>
    [Fact]
    public async Task A_full_width_query_finds_the_customer_and_a_full_width_customer_is_found_by_an_ascii_query()
    {
        var world = await TestWorld.CreateAsync(Server);
        var ascii = await world.NewLeadAsync("Fullwidth Wang " + world.PoolId, "Hangzhou Lianhe", "139 0013 9000");
        static string FullWidth(string s) => new(s.Select(c => c is >= '!' and <= '~' ? (char)(c + 0xFEE0) : c is ' ' ? '\u3000' : c).ToArray());
        var wide = await world.NewLeadAsync(FullWidth("Widened Zhao ") + world.PoolId, FullWidth("Acme Widget"), FullWidth("137 0013 7000"));

        Assert.Equal("137 0013 7000", wide.Phone);
        Assert.Equal("Acme Widget", wide.Company);
        foreach (var (query, expected) in new[]
        {
            ("１３９００１３９０００", ascii.Id), ("Ｆｕｌｌｗｉｄｔｈ", ascii.Id), ("ＦＵＬＬＷＩＤＴＨ　ＷＡＮＧ", ascii.Id), ("＋８６　１３９　００１３　９０００", ascii.Id),
            ("\u202a139 0013 9000\u202c", ascii.Id), ("full\u200bwidth", ascii.Id),
            ("13700137000", wide.Id), ("widened zhao", wide.Id), ("acme widget", wide.Id), ("ＡＣＭＥ", wide.Id),
        })
        {
            var found = (await world.RepA.SearchAsync($"poolId={world.PoolId}&query={Uri.EscapeDataString(query)}")).EnsureStatus(HttpStatusCode.OK).Value!;
            Assert.True(found.Items.Select(c => c.Id).SequenceEqual([expected]), $"query '{query}' found {found.Total}, not only the customer");
        }
    }

    [Fact]
    public async Task Lists_are_paged_with_a_total()
    {
        var world = await TestWorld.CreateAsync(Server);
        for (var i = 0; i < 7; i++)
        {
            await world.NewLeadAsync($"Lead {i}");
        }

        var page1 = (await world.RepA.SearchAsync($"poolId={world.PoolId}&page=1&pageSize=3")).Value!;
        var page3 = (await world.RepA.SearchAsync($"poolId={world.PoolId}&page=3&pageSize=3")).Value!;

        Assert.Equal(7, page1.Total);
        Assert.Equal(3, page1.Items.Count);
        Assert.Single(page3.Items);
    }

    [Fact]
    public async Task A_rep_claims_follows_up_advances_and_releases_and_the_timeline_says_who_when_why()
    {
        var world = await TestWorld.CreateAsync(Server);
        var lead = await world.NewLeadAsync();

        var claimed = (await world.RepA.ClaimAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(world.RepA.UserId, claimed.OwnerId);
        var privatePool = (await world.RepA.SendAsync<Page<CustomerDto>>(HttpMethod.Get, $"/api/reps/{world.RepA.UserId}/customers")).Value!;
        Assert.Contains(privatePool.Items, c => c.Id == lead.Id);
        var publicPool = (await world.RepA.SendAsync<Page<CustomerDto>>(HttpMethod.Get, $"/api/pools/{world.PoolId}/customers")).Value!;
        Assert.DoesNotContain(publicPool.Items, c => c.Id == lead.Id);

        (await world.RepA.FollowUpAsync(lead.Id, FollowUpType.Call, "no answer")).EnsureStatus(HttpStatusCode.Created);
        (await world.RepA.FollowUpAsync(lead.Id, FollowUpType.Visit, "met the buyer", "Budget 200k, decides in May")).EnsureStatus(HttpStatusCode.Created);
        (await world.RepA.ChangeStageAsync(lead.Id, Stage.Opportunity, "intent confirmed")).EnsureStatus(HttpStatusCode.OK);
        (await world.RepA.ChangeStageAsync(lead.Id, Stage.Lost, "chose a competitor")).EnsureStatus(HttpStatusCode.OK);
        var released = (await world.RepA.ReleaseAsync(lead.Id, "not worth more visits")).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Null(released.OwnerId);
        Assert.NotNull(released.LastFollowUpAt);

        var timeline = (await world.RepA.TimelineAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(["created", "claimed", "follow-up", "follow-up", "stage-changed", "stage-changed", "released"],
            timeline.Select(e => e.Kind));
        Assert.All(timeline.Skip(1), e => Assert.Equal(world.RepA.UserId, e.ActorId));
        Assert.Equal("no answer", timeline[2].Data["outcome"]);
        Assert.Equal("visit", timeline[3].Data["type"]);
        Assert.Equal("Budget 200k, decides in May", timeline[3].Text);
        Assert.Equal("lost", timeline[5].Data["to"]);
        Assert.Equal("chose a competitor", timeline[5].Reason);
        Assert.Equal("not worth more visits", timeline[6].Reason);
        Assert.True(timeline.Zip(timeline.Skip(1)).All(p => p.First.Seq < p.Second.Seq));
    }

    [Fact]
    public async Task Two_reps_claiming_at_the_same_time_get_one_owner_and_one_already_owned()
    {
        var world = await TestWorld.CreateAsync(Server);
        for (var round = 0; round < 10; round++)
        {
            var lead = await world.NewLeadAsync($"Race {round}");
            var results = await Task.WhenAll(world.RepA.ClaimAsync(lead.Id), world.RepB.ClaimAsync(lead.Id));

            Assert.Single(results, r => r.Status == HttpStatusCode.OK);
            var loser = Assert.Single(results, r => r.Status == HttpStatusCode.Conflict);
            Assert.Equal("already-owned", loser.Code);
            var winner = results.Single(r => r.Status == HttpStatusCode.OK).Value!.OwnerId;
            Assert.Equal(winner, (await world.Admin.GetCustomerAsync(lead.Id)).Value!.OwnerId);
        }
    }

    [Fact]
    public async Task A_manager_assigns_a_customer_to_a_rep_and_can_move_it_to_another()
    {
        var world = await TestWorld.CreateAsync(Server);
        var lead = await world.NewLeadAsync();

        (await world.Manager.AssignAsync(lead.Id, world.RepA.UserId, "knows the region")).EnsureStatus(HttpStatusCode.OK);
        var moved = (await world.Manager.AssignAsync(lead.Id, world.RepB.UserId, "rep A is on leave")).EnsureStatus(HttpStatusCode.OK).Value!;

        Assert.Equal(world.RepB.UserId, moved.OwnerId);
        var repA = (await world.RepA.SendAsync<Page<CustomerDto>>(HttpMethod.Get, $"/api/reps/{world.RepA.UserId}/customers")).Value!;
        Assert.DoesNotContain(repA.Items, c => c.Id == lead.Id);
        var timeline = (await world.Manager.TimelineAsync(lead.Id)).Value!;
        Assert.Equal(world.RepA.UserId, timeline.Last().Data["previousOwnerId"]);
        Assert.Equal("rep A is on leave", timeline.Last().Reason);
    }

    [Fact]
    public async Task A_rep_who_released_a_customer_may_not_claim_it_again_during_protection()
    {
        var world = await TestWorld.CreateAsync(Server, new PoolRules { ReclaimProtectionDays = 3 });
        var lead = await world.NewLeadAsync();
        (await world.RepA.ClaimAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK);
        (await world.RepA.ReleaseAsync(lead.Id, "too far")).EnsureStatus(HttpStatusCode.OK);

        var again = await world.RepA.ClaimAsync(lead.Id);

        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Equal("reclaim-protected", again.Code);
        Assert.True(again.Problem!.Value.TryGetProperty("until", out _));
        (await world.RepB.ClaimAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_rep_may_not_touch_a_customer_another_rep_owns()
    {
        var world = await TestWorld.CreateAsync(Server);
        var lead = await world.NewLeadAsync();
        (await world.RepA.ClaimAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK);

        // RepB no longer sees it: its commands answer as for a customer that does not exist (docs/permissions.md).
        Assert.Equal(HttpStatusCode.NotFound, (await world.RepB.GetCustomerAsync(lead.Id)).Status);
        Assert.Equal((HttpStatusCode.NotFound, ErrorCodes.NotFound), Refusal(await world.RepB.ReleaseAsync(lead.Id)));
        Assert.Equal((HttpStatusCode.NotFound, ErrorCodes.NotFound), Refusal(await world.RepB.FollowUpAsync(lead.Id, FollowUpType.Call, "hi")));
        Assert.Equal((HttpStatusCode.NotFound, ErrorCodes.NotFound), Refusal(await world.RepB.ChangeStageAsync(lead.Id, Stage.Opportunity)));
        // Assigning is for managers, whatever the customer: the same 403 as for any id.
        Assert.Equal(HttpStatusCode.Forbidden, (await world.RepB.AssignAsync(lead.Id, world.RepB.UserId)).Status);
        Assert.Equal(world.RepA.UserId, (await world.Admin.GetCustomerAsync(lead.Id)).Value!.OwnerId);

        static (HttpStatusCode, string?) Refusal<T>(ApiResponse<T> response) => (response.Status, response.Code);
    }
}

[Collection(ServerCollection.Name)]
public sealed class SqliteCustomerLifecycleTests(ServerFixture fixture) : CustomerLifecycleTests
{
    protected override ServerProcess Server => fixture.Server;
}

[Collection(PostgresServerCollection.Name)]
public sealed class PostgresCustomerLifecycleTests(PostgresServerFixture fixture) : CustomerLifecycleTests
{
    protected override ServerProcess Server => fixture.Server;
}
