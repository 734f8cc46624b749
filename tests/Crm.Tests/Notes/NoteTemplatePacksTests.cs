using System.Net;
using Crm.Client;
using Crm.Tests.Infrastructure;
using static Crm.Tests.Notes.NoteTemplateBuilder;

namespace Crm.Tests.Notes;

/// <summary>
/// The standard plugin's template pack through the real server. A server of its own: template ids are company-wide,
/// so a fresh database is the only way to see every template imported as <c>created</c>.
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
}
