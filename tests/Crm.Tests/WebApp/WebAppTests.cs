using System.Net;
using System.Text.Json;
using Crm.Client;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Crm.Tests.WebApp;

/// <summary>The web app at /app in a real Chromium against the real server: what a rep and a manager see and do.</summary>
[Collection(BrowserCollection.Name)]
public sealed class WebAppTests(BrowserFixture fixture, ITestOutputHelper output)
{
    static WebAppTests() => SetDefaultExpectTimeout(10_000);

    [Fact]
    public async Task A_rep_signs_in_choosing_a_new_password_after_a_reset_and_sees_its_customers_the_one_that_drops_back_soonest_first()
    {
        var world = await WebWorld.CreateAsync(fixture.Server);
        var early = await world.NewLeadAsync("Early claim");
        var late = await world.NewLeadAsync("Late claim");
        (await world.RepA.ClaimAsync(early.Id)).EnsureStatus(HttpStatusCode.OK);
        (await world.RepA.ClaimAsync(late.Id)).EnsureStatus(HttpStatusCode.OK);
        // A follow-up restarts the early one's clock: the late claim now drops back first.
        (await world.RepA.FollowUpAsync(early.Id, FollowUpType.Call, "reached")).EnsureStatus(HttpStatusCode.Created);
        (await world.Admin.SendAsync<JsonElement>(HttpMethod.Post, $"/api/users/{world.RepA.UserId}/password", new ResetPasswordRequest("reset-by-the-admin-7")))
            .EnsureStatus(HttpStatusCode.NoContent);
        var page = await fixture.NewPhoneAsync();
        await page.GotoAsync("/app/");

        await page.FillAsync("#login input[name=userName]", world.RepAName);
        await page.FillAsync("#login input[name=password]", WebWorld.Password);
        await page.ClickAsync("#login button[type=submit]");
        await Expect(page.Locator("#login-error")).ToHaveTextAsync("Wrong user name or password.");
        await page.FillAsync("#login input[name=password]", "reset-by-the-admin-7");
        await page.ClickAsync("#login button[type=submit]");
        await Expect(page.Locator("#login-error")).ToHaveTextAsync("Choose a new password to continue.");
        await page.FillAsync("#login input[name=newPassword]", "my-own-new-password-42");
        await page.ClickAsync("#login button[type=submit]");

        var rows = page.Locator("#my-customers li.customer");
        await Expect(rows).ToHaveCountAsync(2);
        Assert.Equal([late.Id.ToString(), early.Id.ToString()], await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)"));
        await Expect(rows.First.Locator(".countdown")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^drops back in 9 d \d+ h$"));
        await Expect(page.Locator("#user-name")).ToHaveTextAsync(world.RepAName);
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the phone screen scrolls sideways");

        await SnapAsync(page, "mine-en");
        await page.ClickAsync("#lang");
        await Expect(page.Locator("#bar nav a").First).ToHaveTextAsync("我的客户");
        await Expect(page.Locator("#my-customers .countdown").First).ToContainTextAsync("后掉回公海");

        await SnapAsync(page, "mine-zh");
        await ReportPageWeightAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Two_reps_race_to_claim_one_lead_one_wins_and_a_lead_a_colleague_claims_leaves_the_other_list_live()
    {
        var world = await WebWorld.CreateAsync(fixture.Server);
        var contested = await world.NewLeadAsync("Contested lead");
        var quiet = await world.NewLeadAsync("Quiet lead");
        var repA = await fixture.SignedInAsync(world.RepAName);
        var repB = await fixture.SignedInAsync(world.RepBName);
        foreach (var page in new[] { repA, repB })
        {
            await page.EvaluateAsync("() => { window.stamp = 'no reload'; location.hash = '#/pool'; }");
            await page.WaitForSelectorAsync($"#pool-leads[data-ready=true] li.lead[data-id='{contested.Id}']");
        }

        // Both tap Claim at once; a button already gone (the other's claim arrived first) is a lost race too.
        var claim = $"() => {{ const b = document.querySelector(\"li.lead[data-id='{contested.Id}'] button.claim\"); b?.click(); return !!b; }}";
        var clicked = await Task.WhenAll(repA.EvaluateAsync<bool>(claim), repB.EvaluateAsync<bool>(claim));
        Assert.Contains(true, clicked);

        foreach (var page in new[] { repA, repB })
        {
            await Expect(page.Locator($"li.lead[data-id='{contested.Id}']")).ToHaveCountAsync(0);
        }

        await SnapAsync(repA, "pool");
        var owner = (await world.Admin.GetCustomerAsync(contested.Id)).Value!.OwnerId;
        var (winner, loser) = owner == world.RepA.UserId ? (repA, repB) : (repB, repA);
        Assert.Contains(owner, new[] { world.RepA.UserId, world.RepB.UserId });
        await Expect(winner.Locator("#toast")).ToHaveTextAsync("Claimed Contested lead.");

        // The loser did nothing: the winner claims the quiet lead, and it leaves the loser's list over SignalR.
        await winner.ClickAsync($"li.lead[data-id='{quiet.Id}'] button.claim");
        await Expect(loser.Locator($"li.lead[data-id='{quiet.Id}']")).ToHaveCountAsync(0);
        Assert.Equal("no reload", await loser.EvaluateAsync<string>("window.stamp"));
        await Task.WhenAll(repA.Context.CloseAsync(), repB.Context.CloseAsync());
    }

    [Fact]
    public async Task A_rep_taps_a_dot_note_from_the_template_and_it_shows_on_the_card_beside_the_customers_deal()
    {
        var world = await WebWorld.CreateAsync(fixture.Server);
        var templateId = $"visit-{world.Tag}";
        (await world.Manager.SendAsync<JsonElement>(HttpMethod.Post, "/api/note-templates", new NoteTemplateRequest(
            $"Visit {world.Tag}",
            [
                new NoteFieldDto("budget", "Budget", NoteFieldType.SingleChoice, ["<100k", "100k-500k", ">500k"], Required: true),
                new NoteFieldDto("interests", "Products", NoteFieldType.MultiChoice, ["CRM", "ERP", "BI"]),
                new NoteFieldDto("met", "Met the decision maker?", NoteFieldType.YesNo, Required: true),
                new NoteFieldDto("remarks", "Remarks", NoteFieldType.Text),
            ],
            "Budget {{ budget }}; {{ interests | array.join \", \" }}; decision maker {{ met ? \"met\" : \"not met\" }}. {{ remarks }}",
            Id: templateId, Language: "en", OrgUnitId: world.OrgUnitId))).EnsureStatus(HttpStatusCode.Created);
        var customer = await world.NewLeadAsync("Noted customer");
        (await world.RepA.ClaimAsync(customer.Id)).EnsureStatus(HttpStatusCode.OK);
        (await world.RepA.SendAsync<JsonElement>(HttpMethod.Post, $"/api/customers/{customer.Id}/deals",
            new CreateDealRequest("Pilot licence", 120_000m, "CNY", new DateOnly(2031, 6, 30)))).EnsureStatus(HttpStatusCode.Created);
        var page = await fixture.SignedInAsync(world.RepAName);

        await page.EvaluateAsync($"location.hash = '#/customer/{customer.Id}'");
        await Expect(page.Locator("#deals li.deal[data-status=open] strong")).ToHaveTextAsync("Pilot licence");
        await page.ClickAsync($"#note-templates button[data-id='{templateId}']");
        await page.ClickAsync("fieldset[data-key=budget] button[data-value='<100k']");
        await page.ClickAsync("fieldset[data-key=budget] button[data-value='100k-500k']");
        await page.ClickAsync("fieldset[data-key=interests] button[data-value=CRM]");
        await page.ClickAsync("fieldset[data-key=interests] button[data-value=BI]");
        await page.ClickAsync("fieldset[data-key=met] button[data-value=true]");
        await page.FillAsync("fieldset[data-key=remarks] textarea", "Wants a demo.");
        await Expect(page.Locator("fieldset[data-key=budget] button[aria-pressed=true]")).ToHaveTextAsync("100k-500k");
        await SnapAsync(page, "note-form");
        await page.ClickAsync("#note-form button[type=submit]");

        await Expect(page.Locator("#timeline li[data-kind=note] .text")).ToHaveTextAsync("Budget 100k-500k; CRM, BI; decision maker met. Wants a demo.");
        var notes = await world.Manager.GetAsync($"/api/customers/{customer.Id}/notes");
        var answers = notes.Value.GetProperty("items")[0].GetProperty("answers");
        Assert.Equal(("100k-500k", true), (answers.GetProperty("budget").GetString(), answers.GetProperty("met").GetBoolean()));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_follow_up_a_rep_makes_appears_on_the_managers_screens_without_a_reload()
    {
        var world = await WebWorld.CreateAsync(fixture.Server);
        var customer = await world.NewLeadAsync("Followed customer");
        (await world.RepA.ClaimAsync(customer.Id)).EnsureStatus(HttpStatusCode.OK);
        var team = await fixture.SignedInAsync(world.ManagerName);
        var card = await fixture.SignedInAsync(world.ManagerName);
        var rep = await fixture.SignedInAsync(world.RepAName);
        await card.EvaluateAsync($"() => {{ window.stamp = 'no reload'; location.hash = '#/customer/{customer.Id}'; }}");
        await card.WaitForSelectorAsync("#timeline li[data-kind=claimed]");
        await team.WaitForSelectorAsync($"#team-reps li.rep");
        foreach (var manager in new[] { team, card })
        {
            await manager.WaitForSelectorAsync("body[data-live=live]", new() { State = WaitForSelectorState.Attached });
        }

        await rep.EvaluateAsync($"location.hash = '#/customer/{customer.Id}'");
        await rep.ClickAsync("#follow-up-form button[data-value=visit]");
        await rep.FillAsync("#follow-up-form input[name=outcome]", "demo booked for Friday");
        await rep.ClickAsync("#follow-up-form button[type=submit]");

        await Expect(card.Locator("#timeline li[data-kind=follow-up] .detail")).ToHaveTextAsync("Visit · demo booked for Friday");
        await Expect(team.Locator("#activity li.event[data-event=FollowUpAdded]")).ToContainTextAsync("demo booked for Friday");
        Assert.Equal("no reload", await card.EvaluateAsync<string>("window.stamp"));
        await SnapAsync(team, "team");
        await SnapAsync(card, "manager-card");
        await Task.WhenAll(team.Context.CloseAsync(), card.Context.CloseAsync(), rep.Context.CloseAsync());
    }

    [Fact]
    public async Task A_rep_corrects_a_phone_on_the_card_and_the_managers_open_card_shows_it_without_a_reload()
    {
        var world = await WebWorld.CreateAsync(fixture.Server);
        var customer = await world.NewLeadAsync("Corrected customer");
        (await world.RepA.ClaimAsync(customer.Id)).EnsureStatus(HttpStatusCode.OK);
        var card = await fixture.SignedInAsync(world.ManagerName);
        var rep = await fixture.SignedInAsync(world.RepAName);
        await card.EvaluateAsync($"() => {{ window.stamp = 'no reload'; location.hash = '#/customer/{customer.Id}'; }}");
        await card.WaitForSelectorAsync("#timeline li[data-kind=claimed]");
        await card.WaitForSelectorAsync("body[data-live=live]", new() { State = WaitForSelectorState.Attached });

        await rep.EvaluateAsync($"location.hash = '#/customer/{customer.Id}'");
        await rep.ClickAsync("#edit-details");
        await rep.FillAsync("#details-form input[name=phone]", "+86 139 5555 0101");
        await rep.FillAsync("#details-form input[name=email]", "corrected@customer.cn");
        await rep.ClickAsync("#details-form button[type=submit]");

        await Expect(rep.Locator("#profile a[href^='tel:']")).ToHaveTextAsync("+86 139 5555 0101");
        await Expect(rep.Locator("#timeline li[data-kind=details-edited]")).ToHaveCountAsync(1);
        await Expect(card.Locator("#profile a[href^='tel:']")).ToHaveTextAsync("+86 139 5555 0101");
        Assert.Equal("no reload", await card.EvaluateAsync<string>("window.stamp"));
        var stored = (await world.Manager.GetCustomerAsync(customer.Id)).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(("+86 139 5555 0101", "corrected@customer.cn"), (stored.Phone, stored.Email));
        await Task.WhenAll(card.Context.CloseAsync(), rep.Context.CloseAsync());
    }

    [Fact]
    public async Task A_manager_assigns_and_moves_selected_customers_in_bulk_from_the_team_screen()
    {
        var world = await WebWorld.CreateAsync(fixture.Server);
        var second = (await world.Admin.CreatePoolAsync($"Second pool {world.Tag}", world.OrgUnitId)).EnsureStatus(HttpStatusCode.Created).Value!;
        var toAssign = await world.NewLeadAsync("Bulk assigned");
        var toMove = await world.NewLeadAsync("Bulk moved");
        var page = await fixture.SignedInAsync(world.ManagerName);

        await page.SelectOptionAsync("#bulk-pool", world.PoolId);
        await page.CheckAsync($"#bulk-customers input[value='{toAssign.Id}']");
        await page.SelectOptionAsync("#bulk-rep", world.RepB.UserId);
        await page.ClickAsync("#bulk-assign");
        await Expect(page.Locator("#bulk-results")).ToHaveTextAsync("1 done, 0 refused");
        await page.CheckAsync($"#bulk-customers input[value='{toMove.Id}']");
        await page.SelectOptionAsync("#bulk-target-pool", second.Id);
        await page.ClickAsync("#bulk-move");
        await Expect(page.Locator("#bulk-results")).ToHaveTextAsync("1 done, 0 refused");

        Assert.Equal(world.RepB.UserId, (await world.Manager.GetCustomerAsync(toAssign.Id)).Value!.OwnerId);
        Assert.Equal(second.Id, (await world.Manager.GetCustomerAsync(toMove.Id)).Value!.PoolId);
        await SnapAsync(page, "team-bulk");
        await page.Context.CloseAsync();
    }

    /// <summary>Full-page screenshots into <c>CRM_WEBAPP_SCREENSHOTS</c> when set, to look at the screens a test went through.</summary>
    private static async Task SnapAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("CRM_WEBAPP_SCREENSHOTS") is { Length: > 0 } folder)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png"), FullPage = true });
        }
    }

    /// <summary>What the first load of /app cost: bytes over the wire and time to a usable login form (docs/web-app.md).</summary>
    private async Task ReportPageWeightAsync()
    {
        var fresh = await fixture.NewPhoneAsync();
        await fresh.GotoAsync("/app/");
        await fresh.WaitForSelectorAsync("#login input[name=userName]");
        var figures = await fresh.EvaluateAsync<JsonElement>("""
            () => {
              const nav = performance.getEntriesByType('navigation')[0];
              const resources = performance.getEntriesByType('resource');
              const bytes = [nav, ...resources].reduce((sum, e) => sum + e.encodedBodySize, 0);
              return { files: resources.length + 1, bytes, domContentLoaded: nav.domContentLoadedEventEnd, load: nav.loadEventEnd };
            }
            """);
        output.WriteLine($"first load of /app: {figures}");
        Assert.True(figures.GetProperty("bytes").GetInt64() < 200_000, $"the app weighs {figures}");
        await fresh.Context.CloseAsync();
    }
}
