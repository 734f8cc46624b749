using System.Net;
using Crm.Client;
using Crm.Tests.Infrastructure;
using static Crm.Tests.Notes.NoteTemplateBuilder;

namespace Crm.Tests.Notes;

/// <summary>
/// The standard plugin's template pack through the real server. A server of its own: template ids are company-wide,
/// so a fresh database is the only way to see every template imported as <c>created</c> (or refused for another unit).
/// </summary>
public sealed class NoteTemplatePacksTests
{
    private const string Standard = "Crm.Plugins.Standard";

    private static readonly string[] StandardIds =
    [
        "first-visit", "demo", "price-negotiation", "after-sales-call",
        "first-visit-zh", "demo-zh", "price-negotiation-zh", "after-sales-call-zh",
    ];

    [Fact]
    public async Task The_standard_pack_is_listed_imported_once_and_a_rep_writes_a_Chinese_note_with_it()
    {
        using var data = new TempDirectory("crm-packs");
        await using var server = await ServerProcess.StartAsync(data.Path);
        var world = await TestWorld.CreateAsync(server);

        var packs = (await world.Manager.SendAsync<List<NoteTemplatePackDto>>(HttpMethod.Get, "/api/note-templates/packs"))
            .EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(StandardIds.Order(), packs.Where(p => p.Plugin == Standard).Select(p => p.TemplateId).Order());
        var firstVisitZh = Assert.Single(packs, p => p.TemplateId == "first-visit-zh");
        Assert.Equal(("首次拜访", "zh"), (firstVisitZh.Name, firstVisitZh.Language));

        // Every body passes the host's compiler and a sample render, or the import would answer `rejected`.
        var imported = (await world.Admin.SendAsync<List<ImportNoteTemplateResult>>(HttpMethod.Post, "/api/note-templates/import",
            new ImportNoteTemplatesRequest(Standard))).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(StandardIds.Order(), imported.Select(r => r.TemplateId).Order());
        Assert.All(imported, r => Assert.Equal(("created", 1, (string?)null), (r.Outcome, r.Version, r.Error)));

        var again = (await world.Admin.SendAsync<List<ImportNoteTemplateResult>>(HttpMethod.Post, "/api/note-templates/import",
            new ImportNoteTemplatesRequest(Standard, ["first-visit-zh"]))).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal("unchanged", Assert.Single(again).Outcome);

        var lead = await world.NewLeadAsync("王芳");
        // The server refuses follow-up dates in the past; it runs on this machine's clock, in UTC.
        var nextFollowUp = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime).AddDays(7).ToString("yyyy-MM-dd");
        (await world.RepA.ClaimAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK);
        var note = (await world.RepA.SendAsync<NoteDto>(HttpMethod.Post, $"/api/customers/{lead.Id}/notes", new AddNoteRequest("first-visit-zh", Answers(new
        {
            met_decision_maker = true, budget = 300000, interests = new[] { "CRM", "BI" }, next_step = "产品演示", next_follow_up = nextFollowUp,
        }), null))).EnsureStatus(HttpStatusCode.Created).Value!;

        Assert.Contains("已见到决策人", note.Text);
        Assert.Contains("预算：300000 元", note.Text);
        Assert.Contains("感兴趣：CRM、BI", note.Text);
        Assert.Contains("下一步：产品演示", note.Text);
        Assert.Contains($"下次跟进：{nextFollowUp}", note.Text);
        var entry = Assert.Single((await world.RepA.TimelineAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK).Value!, e => e.Kind == "note");
        Assert.True(entry.Data.TryGetValue("nextFollowUpAt", out var nextFollowUpAt), "the next_follow_up answer did not set the next follow-up date");
        Assert.StartsWith(nextFollowUp, nextFollowUpAt);

        var refused = await world.RepA.SendAsync<NoteDto>(HttpMethod.Post, $"/api/customers/{lead.Id}/notes",
            new AddNoteRequest("first-visit-zh", Answers(new { met_decision_maker = true, budget = -5, next_step = "产品演示" }), null));
        refused.EnsureStatus(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_second_unit_importing_a_taken_id_is_refused_with_the_way_out_and_never_takes_the_first_units_template()
    {
        using var data = new TempDirectory("crm-packs");
        await using var server = await ServerProcess.StartAsync(data.Path);
        var anonymous = server.Api();
        var admin = await anonymous.LoginAsAdminAsync();
        var hq = (await admin.CreateOrgUnitAsync("HQ")).EnsureStatus(HttpStatusCode.Created).Value!.Id;
        var east = (await admin.CreateOrgUnitAsync("EAST", hq)).EnsureStatus(HttpStatusCode.Created).Value!.Id;
        var west = (await admin.CreateOrgUnitAsync("WEST", hq)).EnsureStatus(HttpStatusCode.Created).Value!.Id;
        (await admin.CreateUserAsync("ma", Role.Manager, east)).EnsureStatus(HttpStatusCode.Created);
        (await admin.CreateUserAsync("mb", Role.Manager, west)).EnsureStatus(HttpStatusCode.Created);
        var ma = await anonymous.LoginAsync("ma", "rep-Passw0rd!");
        var mb = await anonymous.LoginAsync("mb", "rep-Passw0rd!");

        async Task<ImportNoteTemplateResult> Import(CrmApi manager, string unit, string? idPrefix = null) =>
            Assert.Single((await manager.SendAsync<List<ImportNoteTemplateResult>>(HttpMethod.Post, "/api/note-templates/import",
                new ImportNoteTemplatesRequest(Standard, ["demo"], unit, idPrefix))).EnsureStatus(HttpStatusCode.OK).Value!);

        Assert.Equal(("demo", "created", 1), (await Import(ma, east)) is var first ? (first.TemplateId, first.Outcome, first.Version) : default);

        // WEST cannot use EAST's template: the import says so and how to get its own, without naming EAST.
        var taken = await Import(mb, west);
        Assert.Equal(("demo", "rejected", (int?)null), (taken.TemplateId, taken.Outcome, taken.Version));
        Assert.Contains("idPrefix", taken.Error);
        Assert.DoesNotContain(east, taken.Error);
        Assert.Equal(HttpStatusCode.NotFound, (await mb.GetAsync("/api/note-templates/demo")).Status);

        var own = await Import(mb, west, "west-");
        Assert.Equal(("west-demo", "created", 1), (own.TemplateId, own.Outcome, own.Version));
        var westDemo = (await mb.SendAsync<NoteTemplateDto>(HttpMethod.Get, "/api/note-templates/west-demo")).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal((west, $"plugin:{Standard}"), (westDemo.OrgUnitId, westDemo.Source));
        Assert.Equal("unchanged", (await Import(mb, west, "west-")).Outcome);

        // EAST's template now differs from the plugin's (as after a plugin update): WEST's import still leaves it where it is.
        var eastDemo = (await ma.SendAsync<NoteTemplateDto>(HttpMethod.Get, "/api/note-templates/demo")).EnsureStatus(HttpStatusCode.OK).Value!;
        (await ma.SendAsync<NoteTemplateDto>(HttpMethod.Put, "/api/note-templates/demo",
            new NoteTemplateRequest("Demo (EAST)", eastDemo.Fields, eastDemo.Body, Language: eastDemo.Language))).EnsureStatus(HttpStatusCode.OK);
        Assert.Equal("rejected", (await Import(mb, west)).Outcome);
        var kept = (await ma.SendAsync<NoteTemplateDto>(HttpMethod.Get, "/api/note-templates/demo")).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal((east, 2, "Demo (EAST)"), (kept.OrgUnitId, kept.Version, kept.Name));
        Assert.Equal(("updated", 3), (await Import(ma, east)) is var again ? (again.Outcome, again.Version) : default);

        // Writing under the id by hand: a taken id and nothing more; the template stays out of reach.
        var create = await mb.SendAsync<NoteTemplateDto>(HttpMethod.Post, "/api/note-templates", FirstVisit("demo") with { OrgUnitId = west });
        Assert.Equal((HttpStatusCode.Conflict, ErrorCodes.AlreadyExists), (create.Status, create.Code));
        Assert.DoesNotContain(east, create.Body);
        Assert.DoesNotContain("PUT", create.Body);
        var update = await mb.SendAsync<NoteTemplateDto>(HttpMethod.Put, "/api/note-templates/demo", FirstVisit() with { OrgUnitId = west });
        Assert.Equal(HttpStatusCode.NotFound, update.Status);
        Assert.Equal(east, (await ma.SendAsync<NoteTemplateDto>(HttpMethod.Get, "/api/note-templates/demo")).Value!.OrgUnitId);
    }
}
