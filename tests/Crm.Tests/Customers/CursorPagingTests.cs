using System.Net;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Customers;

/// <summary>
/// Customer lists read page after page by cursor (<c>?after=</c> a page's <c>nextAfter</c>) on the real server: leads a
/// colleague claims meanwhile (they leave the pool's list) and leads created meanwhile neither make the walk skip nor
/// repeat one that stays, as page numbers do; bad cursors are refused naming <c>after</c>.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class CursorPagingTests(ServerFixture fixture)
{
    [Fact]
    public async Task A_walk_through_a_pool_by_cursor_sees_every_lead_that_stays_once_while_colleagues_claim_and_leads_arrive()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        var leads = new List<CustomerDto>();
        for (var i = 0; i < 8; i++)
        {
            leads.Add(await world.NewLeadAsync($"Cursor Lead {i}", $"Cursor Paging {i} Trading Co., Ltd.", $"+86 139 8888 00{i:D2}"));
        }

        var first = (await world.RepA.SendAsync<Page<CustomerDto>>(HttpMethod.Get, $"/api/pools/{world.PoolId}/customers?pageSize=3"))
            .EnsureStatus(HttpStatusCode.OK).Value!;
        // Meanwhile a colleague claims one lead of the first page and one not read yet, and a new lead arrives.
        (await world.RepB.ClaimAsync(first.Items[0].Id)).EnsureStatus(HttpStatusCode.OK);
        (await world.RepB.ClaimAsync(leads[1].Id)).EnsureStatus(HttpStatusCode.OK);
        var late = await world.NewLeadAsync("Cursor Late", "Cursor Paging Late Co., Ltd.", "+86 139 8888 0099");
        var seen = first.Items.Select(c => c.Id).ToList();
        var after = first.NextAfter;
        var pages = 1;
        while (after is not null)
        {
            var page = (await world.RepA.SendAsync<Page<CustomerDto>>(HttpMethod.Get,
                $"/api/pools/{world.PoolId}/customers?pageSize=3&after={Uri.EscapeDataString(after)}")).EnsureStatus(HttpStatusCode.OK).Value!;
            seen.AddRange(page.Items.Select(c => c.Id));
            after = page.NextAfter;
            Assert.True(++pages < 10, "the walk does not end");
        }

        Assert.Equal(seen.Count, seen.Distinct().Count()); // none twice
        var stayed = leads.Where(l => l.Id != leads[1].Id).Select(l => l.Id);
        Assert.Empty(stayed.Except(seen)); // none that stayed unowned was skipped
        Assert.DoesNotContain(leads[1].Id, seen); // claimed before the walk reached it
        Assert.DoesNotContain(late.Id, seen); // newer than the walk: the next walk starts with it
        Assert.Equal(3, first.Items.Count);
        Assert.Equal(8, first.Total);
    }

    [Fact]
    public async Task The_typed_client_reads_a_whole_list_by_cursor_and_bad_cursors_are_refused_naming_after()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        for (var i = 0; i < 5; i++)
        {
            await world.NewLeadAsync($"Typed Cursor {i}", $"Typed Cursor {i} Co., Ltd.", $"+86 139 8888 01{i:D2}");
        }

        using var http = new HttpClient { BaseAddress = fixture.Server.BaseAddress };
        using var client = new CrmClient(http);
        await client.LoginAsync("admin", ServerProcess.AdminPassword);
        var all = new List<CustomerDto>();
        await foreach (var customer in client.ListAllCustomersAsync(new CustomerQuery(PoolId: world.PoolId, PageSize: 2)))
        {
            all.Add(customer);
        }

        var both = await world.Admin.SendAsync<Page<CustomerDto>>(HttpMethod.Get, $"/api/customers?poolId={world.PoolId}&page=2&after=abc");
        var forged = await world.Admin.SendAsync<Page<CustomerDto>>(HttpMethod.Get, $"/api/customers?poolId={world.PoolId}&after=bm90LWEtY3Vyc29y");
        var last = (await world.Admin.SendAsync<Page<CustomerDto>>(HttpMethod.Get, $"/api/customers?poolId={world.PoolId}&pageSize=10")).Value!;

        Assert.Equal(5, all.Count);
        Assert.Equal(5, all.Select(c => c.Id).Distinct().Count());
        Assert.Equal(all.OrderByDescending(c => c.CreatedAt).ThenBy(c => c.Id.ToString()).Select(c => c.Id), all.Select(c => c.Id)); // newest first
        Assert.Equal(["after"], both.EnsureStatus(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Equal(["after"], forged.EnsureStatus(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Null(last.NextAfter); // the whole list fits: no next page
    }
}
