using System.Net;
using System.Text.Json;
using Crm.Client;
using Crm.Tests.Infrastructure;
using static Crm.Tests.Notes.NoteTemplateBuilder;

namespace Crm.Tests.Notes;

/// <summary>Quick notes over HTTP and SignalR against the real server; run on both storage profiles.</summary>
public abstract class NotesEndToEndTests
{
    protected abstract ServerProcess Server { get; }

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    private static Task<ApiResponse<NoteTemplateDto>> CreateTemplateAsync(CrmApi api, NoteTemplateRequest request) =>
        api.SendAsync<NoteTemplateDto>(HttpMethod.Post, "/api/note-templates", request);

    private static Task<ApiResponse<NoteDto>> AddNoteAsync(CrmApi api, Guid customerId, string templateId, object answers, int? version = null) =>
        api.SendAsync<NoteDto>(HttpMethod.Post, $"/api/customers/{customerId}/notes", new AddNoteRequest(templateId, Answers(answers), version));

    private static async Task<CustomerDto> OwnedLeadAsync(TestWorld world, CrmApi rep, string name = "Chen Jing")
    {
        var lead = await world.NewLeadAsync(name);
        (await rep.ClaimAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK);
        return lead;
    }

    /// <summary>
    /// SignalR answers the handshake before the hub has joined the connection to its channels; touch the customer
    /// until one of its events arrives, so that a missing NoteAdded afterwards means the note was not pushed.
    /// </summary>
    private static async Task SubscribedAsync(EventRecorder events, CrmApi rep, Guid customerId)
    {
        for (var attempt = 0; attempt < 30 && !events.Received<FollowUpAdded>(customerId); attempt++)
        {
            (await rep.FollowUpAsync(customerId, FollowUpType.Call, "line check")).EnsureStatus(HttpStatusCode.Created);
            try
            {
                await events.WaitForAsync<FollowUpAdded>(customerId, TimeSpan.FromSeconds(1));
            }
            catch (TimeoutException)
            {
            }
        }

        Assert.True(events.Received<FollowUpAdded>(customerId), "the rep's connection never received an event");
    }

    [Fact]
    public async Task A_rep_taps_answers_and_the_note_lands_on_the_timeline_rendered_and_structured_and_is_pushed()
    {
        var world = await TestWorld.CreateAsync(Server);
        var template = (await CreateTemplateAsync(world.Manager, FirstVisit(NewId("first-visit")))).EnsureStatus(HttpStatusCode.Created).Value!;
        Assert.Equal(1, template.Version);
        Assert.Equal(world.OrgUnitId, template.OrgUnitId);

        var listed = (await world.RepA.SendAsync<List<NoteTemplateDto>>(HttpMethod.Get, "/api/note-templates")).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Contains(listed, t => t.Id == template.Id);

        await using var events = await EventRecorder.ConnectAsync(world.RepA);
        var lead = await OwnedLeadAsync(world, world.RepA);
        await SubscribedAsync(events, world.RepA, lead.Id);

        var note = (await AddNoteAsync(world.RepA, lead.Id, template.Id, new
        {
            budget = "100k-500k", met_decision_maker = true, interests = new[] { "CRM", "BI" }, headcount = 45, remarks = "Wants a demo",
        })).EnsureStatus(HttpStatusCode.Created).Value!;

        Assert.Contains("Budget: 100k-500k", note.Text);
        Assert.Contains("Interested in: CRM, BI", note.Text);
        Assert.Equal(1, note.TemplateVersion);
        Assert.Equal(45, note.Answers.GetProperty("headcount").GetDouble());

        var timeline = (await world.RepA.TimelineAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK).Value!;
        var entry = Assert.Single(timeline, e => e.Kind == "note");
        Assert.Equal(note.Text, entry.Text);
        Assert.Equal(world.RepA.UserId, entry.ActorId);
        Assert.Equal("100k-500k", JsonDocument.Parse(entry.Data["answers"]!).RootElement.GetProperty("budget").GetString());

        var evt = await events.WaitForAsync<NoteAdded>(lead.Id);
        Assert.Equal(lead.Id, evt.CustomerId);
        Assert.Equal(note.NoteId, evt.NoteId);
        Assert.Equal(template.Id, evt.TemplateId);
        Assert.Equal(note.Text, evt.Text);
    }

    [Fact]
    public async Task A_Chinese_template_renders_Chinese_notes()
    {
        var world = await TestWorld.CreateAsync(Server);
        var template = (await CreateTemplateAsync(world.Manager, new NoteTemplateRequest("价格谈判",
            [new("taidu", "客户对报价的态度", NoteFieldType.SingleChoice, ["接受", "犹豫", "拒绝"], Required: true), new("beizhu", "备注", NoteFieldType.Text)],
            "客户态度：{{ taidu }}{{ if beizhu }}；备注：{{ beizhu }}{{ end }}", NewId("jiage"), "zh"))).EnsureStatus(HttpStatusCode.Created).Value!;
        var lead = await OwnedLeadAsync(world, world.RepA, "王芳");

        var note = (await AddNoteAsync(world.RepA, lead.Id, template.Id, new { taidu = "犹豫", beizhu = "需要总经理批准" })).EnsureStatus(HttpStatusCode.Created).Value!;

        Assert.Equal("客户态度：犹豫；备注：需要总经理批准", note.Text);
    }

    [Fact]
    public async Task A_template_whose_body_does_not_parse_or_reads_unknown_questions_or_misbehaves_is_refused_at_save()
    {
        var world = await TestWorld.CreateAsync(Server);

        var broken = await CreateTemplateAsync(world.Manager, Template("Budget: {{ budget }}\n{{ if budget }}", Choice("budget", "a", "b")));
        broken.EnsureStatus(HttpStatusCode.BadRequest);
        Assert.Equal(["body"], broken.ErrorFields);
        Assert.Contains("line 2, column", broken.Body);

        var unknown = await CreateTemplateAsync(world.Manager, Template("{{ budget }} {{ decision }}", Choice("budget", "a")));
        unknown.EnsureStatus(HttpStatusCode.BadRequest);
        Assert.Contains("'decision' is not a field of this template", unknown.Body);

        var endless = await CreateTemplateAsync(world.Manager, Template("{{ while true }}again{{ end }}", Choice("budget", "a")));
        endless.EnsureStatus(HttpStatusCode.BadRequest);
        Assert.Contains("iteration limit", endless.Body);

        var reaching = await CreateTemplateAsync(world.Manager, Template("{{ budget.GetType }}", Choice("budget", "a")));
        reaching.EnsureStatus(HttpStatusCode.BadRequest);
        Assert.Contains("Cannot get member", reaching.Body);

        var schema = await CreateTemplateAsync(world.Manager, Template("{{ n }}", Number("n", 5, 1), new NoteFieldDto("c", "C", NoteFieldType.SingleChoice)));
        schema.EnsureStatus(HttpStatusCode.BadRequest);
        Assert.Equal(["fields[0].min", "fields[1].options"], schema.ErrorFields.Order());

        (await CreateTemplateAsync(world.RepA, FirstVisit())).EnsureStatus(HttpStatusCode.Forbidden);
        (await world.Manager.SendAsync<NoteTemplateDto>(HttpMethod.Get, "/api/note-templates/nothing-here")).EnsureStatus(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_new_version_serves_new_notes_and_old_notes_keep_the_version_they_were_written_with()
    {
        var world = await TestWorld.CreateAsync(Server);
        var id = NewId("demo");
        (await CreateTemplateAsync(world.Manager, Template("v1: {{ budget }}", Choice("budget", "a", "b")) with { Id = id })).EnsureStatus(HttpStatusCode.Created);
        var lead = await OwnedLeadAsync(world, world.RepA);
        var first = (await AddNoteAsync(world.RepA, lead.Id, id, new { budget = "a" })).EnsureStatus(HttpStatusCode.Created).Value!;

        var v2 = (await world.Manager.SendAsync<NoteTemplateDto>(HttpMethod.Put, $"/api/note-templates/{id}",
            Template("v2: {{ budget }} / {{ urgent ? 'urgent' : 'calm' }}", Choice("budget", "a", "b", "c"), YesNo("urgent")))).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(2, v2.Version);

        var second = (await AddNoteAsync(world.RepA, lead.Id, id, new { budget = "c", urgent = true })).EnsureStatus(HttpStatusCode.Created).Value!;
        var pinned = (await AddNoteAsync(world.RepA, lead.Id, id, new { budget = "b" }, version: 1)).EnsureStatus(HttpStatusCode.Created).Value!;
        (await AddNoteAsync(world.RepA, lead.Id, id, new { budget = "a" }, version: 3)).EnsureStatus(HttpStatusCode.BadRequest);

        Assert.Equal("v2: c / urgent", second.Text);
        Assert.Equal("v1: b", pinned.Text);
        var notes = (await world.RepA.SendAsync<NotePage>(HttpMethod.Get, $"/api/customers/{lead.Id}/notes")).EnsureStatus(HttpStatusCode.OK).Value!.Items;
        Assert.Equal([(pinned.NoteId, 1, "v1: b"), (second.NoteId, 2, "v2: c / urgent"), (first.NoteId, 1, "v1: a")],
            notes.Select(n => (n.NoteId, n.TemplateVersion, n.Text)));
        var old = (await world.RepA.SendAsync<NoteTemplateDto>(HttpMethod.Get, $"/api/note-templates/{id}?version=1")).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal("v1: {{ budget }}", old.Body);
    }

    [Fact]
    public async Task Answers_that_do_not_fit_the_schema_are_refused_per_question()
    {
        var world = await TestWorld.CreateAsync(Server);
        var template = (await CreateTemplateAsync(world.Manager, FirstVisit(NewId("visit")))).EnsureStatus(HttpStatusCode.Created).Value!;
        var lead = await OwnedLeadAsync(world, world.RepA);

        var refused = await AddNoteAsync(world.RepA, lead.Id, template.Id, new { budget = "a lot", interests = "CRM", headcount = 20000, mood = "good" });

        refused.EnsureStatus(HttpStatusCode.BadRequest);
        Assert.Equal(["answers.budget", "answers.headcount", "answers.interests", "answers.met_decision_maker", "answers.mood"], refused.ErrorFields.Order());
        Assert.DoesNotContain((await world.RepA.TimelineAsync(lead.Id)).Value!, e => e.Kind == "note");

        (await AddNoteAsync(world.RepB, lead.Id, template.Id, new { budget = "<100k", met_decision_maker = true })).EnsureStatus(HttpStatusCode.NotFound);
        (await AddNoteAsync(world.RepA, lead.Id, "no-such-template", new { })).EnsureStatus(HttpStatusCode.BadRequest);
        (await AddNoteAsync(world.RepA, Guid.NewGuid(), template.Id, new { budget = "<100k", met_decision_maker = true })).EnsureStatus(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Preview_renders_sample_or_given_answers_and_saves_nothing()
    {
        var world = await TestWorld.CreateAsync(Server);
        var draft = (await world.Manager.SendAsync<NotePreviewDto>(HttpMethod.Post, "/api/note-templates/preview", new NotePreviewRequest(FirstVisit())))
            .EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Contains("Budget: <100k", draft.Text);
        Assert.Contains("Interested in: CRM, ERP", draft.Text);

        var id = NewId("preview");
        (await CreateTemplateAsync(world.Manager, FirstVisit(id))).EnsureStatus(HttpStatusCode.Created);
        var saved = (await world.RepA.SendAsync<NotePreviewDto>(HttpMethod.Post, $"/api/note-templates/{id}/preview",
            new TemplatePreviewRequest(Answers: Answers(new { budget = ">500k", met_decision_maker = false })))).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Contains("Budget: >500k", saved.Text);
        Assert.Contains("Decision maker met: no", saved.Text);

        var stats = (await world.Manager.SendAsync<NoteTemplateStatsDto>(HttpMethod.Get, $"/api/note-templates/{id}/stats")).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(0, stats.Notes);
    }

    /// <summary>
    /// date.now in a note is the rep's local time by its unit's calendar. The unit here is on UTC+14, whose hour is never
    /// the server's UTC hour: the local hour is read before and after the call, and a render by the machine's clock (what
    /// Scriban does alone) shows another hour.
    /// </summary>
    [Fact]
    public async Task Date_now_in_a_note_is_the_reps_local_time_by_its_units_calendar()
    {
        var world = await TestWorld.CreateAsync(Server);
        (await world.Admin.SendAsync<WorkCalendarDto>(HttpMethod.Put, $"/api/org-units/{world.OrgUnitId}/calendar",
            new WorkCalendarRequest("Pacific/Kiritimati"))).EnsureStatus(HttpStatusCode.OK);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Kiritimati");
        string LocalHour() => TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).ToString("yyyy-MM-dd HH");

        var before = LocalHour();
        var preview = (await world.RepA.SendAsync<NotePreviewDto>(HttpMethod.Post, "/api/note-templates/preview",
            new NotePreviewRequest(Template("Visited on {{ date.now | date.to_string '%F %H' }}", Text("remarks"))))).EnsureStatus(HttpStatusCode.OK).Value!;
        var after = LocalHour();

        Assert.Contains(preview.Text, new[] { $"Visited on {before}", $"Visited on {after}" });
    }

    [Fact]
    public async Task Stats_count_each_choice_over_many_notes_by_period_and_org_unit()
    {
        var north = await TestWorld.CreateAsync(Server);
        var south = await TestWorld.CreateAsync(Server);
        var id = NewId("visit-stats");
        (await CreateTemplateAsync(north.Admin, FirstVisit(id))).EnsureStatus(HttpStatusCode.Created); // company-wide
        string[] budgets = ["<100k", "100k-500k", ">500k"];
        var northLeads = new[] { await OwnedLeadAsync(north, north.RepA), await OwnedLeadAsync(north, north.RepB) };
        for (var i = 0; i < 60; i++)
        {
            var lead = northLeads[i % 2];
            var rep = i % 2 == 0 ? north.RepA : north.RepB;
            (await AddNoteAsync(rep, lead.Id, id, new { budget = budgets[i % 3], met_decision_maker = i % 4 == 0, interests = i % 5 == 0 ? new[] { "CRM", "BI" } : new[] { "ERP" } }))
                .EnsureStatus(HttpStatusCode.Created);
        }

        var southLead = await OwnedLeadAsync(south, south.RepA);
        for (var i = 0; i < 7; i++)
        {
            (await AddNoteAsync(south.RepA, southLead.Id, id, new { budget = ">500k", met_decision_maker = true })).EnsureStatus(HttpStatusCode.Created);
        }

        var stats = (await north.Manager.SendAsync<NoteTemplateStatsDto>(HttpMethod.Get, $"/api/note-templates/{id}/stats")).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(60, stats.Notes);
        Assert.Equal(north.OrgUnitId, stats.OrgUnitId);
        var byField = stats.Fields.ToDictionary(f => f.Key, f => f.Counts);
        Assert.Equal(["budget", "met_decision_maker", "interests"], stats.Fields.Select(f => f.Key));
        Assert.Equal(new Dictionary<string, long> { ["<100k"] = 20, ["100k-500k"] = 20, [">500k"] = 20 }, byField["budget"]);
        Assert.Equal(new Dictionary<string, long> { ["yes"] = 15, ["no"] = 45 }, byField["met_decision_maker"]);
        Assert.Equal(new Dictionary<string, long> { ["CRM"] = 12, ["ERP"] = 48, ["BI"] = 12 }, byField["interests"]);

        var everyone = (await north.Admin.SendAsync<NoteTemplateStatsDto>(HttpMethod.Get, $"/api/note-templates/{id}/stats")).Value!;
        Assert.Equal(67, everyone.Notes);
        var southOnly = (await north.Admin.SendAsync<NoteTemplateStatsDto>(HttpMethod.Get, $"/api/note-templates/{id}/stats?orgUnitId={south.OrgUnitId}")).Value!;
        Assert.Equal(7, southOnly.Fields.Single(f => f.Key == "budget").Counts[">500k"]);

        var later = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"));
        var none = (await north.Manager.SendAsync<NoteTemplateStatsDto>(HttpMethod.Get, $"/api/note-templates/{id}/stats?from={later}")).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(0, none.Notes);
        Assert.All(none.Fields, f => Assert.All(f.Counts.Values, c => Assert.Equal(0, c)));

        (await north.Manager.SendAsync<NoteTemplateStatsDto>(HttpMethod.Get, $"/api/note-templates/{id}/stats?orgUnitId={south.OrgUnitId}")).EnsureStatus(HttpStatusCode.Forbidden);
        (await north.RepA.SendAsync<NoteTemplateStatsDto>(HttpMethod.Get, $"/api/note-templates/{id}/stats")).EnsureStatus(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Stats_over_local_dates_count_whole_days_of_the_units_calendar_both_included()
    {
        var world = await TestWorld.CreateAsync(Server);
        (await world.Admin.SendAsync<WorkCalendarDto>(HttpMethod.Put, $"/api/org-units/{world.OrgUnitId}/calendar", new WorkCalendarRequest("Asia/Shanghai")))
            .EnsureStatus(HttpStatusCode.OK);
        var id = NewId("day-stats");
        (await CreateTemplateAsync(world.Manager, FirstVisit(id) with { OrgUnitId = world.OrgUnitId })).EnsureStatus(HttpStatusCode.Created);
        var lead = await OwnedLeadAsync(world, world.RepA);
        var written = new List<NoteDto>();
        foreach (var budget in new[] { "<100k", ">500k" })
        {
            written.Add((await AddNoteAsync(world.RepA, lead.Id, id, new { budget, met_decision_maker = true })).EnsureStatus(HttpStatusCode.Created).Value!);
        }

        // The Shanghai date the notes were written on (the server's clock), asked as from = to = that day.
        var shanghai = TimeSpan.FromHours(8);
        var day = DateOnly.FromDateTime(written[0].At.ToOffset(shanghai).DateTime);
        Assert.Equal(day, DateOnly.FromDateTime(written[1].At.ToOffset(shanghai).DateTime));
        string Text(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var thatDay = (await world.Manager.SendAsync<NoteTemplateStatsDto>(HttpMethod.Get, $"/api/note-templates/{id}/stats?from={Text(day)}&to={Text(day)}"))
            .EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(2, thatDay.Notes);
        Assert.Equal((new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), shanghai), new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), shanghai)),
            (thatDay.From, thatDay.To));
        var dayBefore = (await world.Manager.SendAsync<NoteTemplateStatsDto>(HttpMethod.Get,
            $"/api/note-templates/{id}/stats?from={Text(day.AddDays(-1))}&to={Text(day.AddDays(-1))}")).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(0, dayBefore.Notes);

        Assert.Equal(["from"], (await world.Manager.SendAsync<NoteTemplateStatsDto>(HttpMethod.Get, $"/api/note-templates/{id}/stats?from=2026-13-01")).ErrorFields);
        Assert.Equal(["to"], (await world.Manager.SendAsync<NoteTemplateStatsDto>(HttpMethod.Get, $"/api/note-templates/{id}/stats?to=9999-12-31")).ErrorFields);
        Assert.Equal(["from"], (await world.Manager.SendAsync<NoteTemplateStatsDto>(HttpMethod.Get,
            $"/api/note-templates/{id}/stats?from={Text(day)}&to={Text(day.AddDays(-1))}")).ErrorFields);
    }

    [Fact]
    public async Task A_customer_the_caller_cannot_see_is_404_whatever_the_template_or_answers_say()
    {
        var north = await TestWorld.CreateAsync(Server);
        var south = await TestWorld.CreateAsync(Server);
        var id = NewId("not-yours");
        (await CreateTemplateAsync(north.Admin, FirstVisit(id))).EnsureStatus(HttpStatusCode.Created); // company-wide: south may use it
        var northLead = await OwnedLeadAsync(north, north.RepA);

        // Whether the id is another unit's customer or none at all must not show in the answer.
        foreach (var customer in new[] { northLead.Id, Guid.NewGuid() })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await AddNoteAsync(south.RepA, customer, NewId("no-such-template"), new { budget = "<100k" })).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await AddNoteAsync(south.RepA, customer, id, new { budget = "none of these" })).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await AddNoteAsync(south.RepA, customer, id, new { budget = "<100k", met_decision_maker = true })).Status);
        }

        // The owner still gets its field errors.
        Assert.Equal(["templateId"], (await AddNoteAsync(north.RepA, northLead.Id, NewId("no-such-template"), new { budget = "<100k" })).ErrorFields);
    }

    [Fact]
    public async Task A_next_follow_up_answer_becomes_a_due_reminder_until_the_rep_follows_up()
    {
        var world = await TestWorld.CreateAsync(Server);
        var id = NewId("next-step");
        (await CreateTemplateAsync(world.Manager, FirstVisit(id))).EnsureStatus(HttpStatusCode.Created);
        var lead = await OwnedLeadAsync(world, world.RepA);
        var next = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(3);

        var note = (await AddNoteAsync(world.RepA, lead.Id, id, new { budget = "<100k", met_decision_maker = true, next_follow_up = next.ToString("yyyy-MM-dd") }))
            .EnsureStatus(HttpStatusCode.Created).Value!;
        Assert.Equal(new DateTimeOffset(next.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), note.NextFollowUpAt);
        var entry = (await world.RepA.TimelineAsync(lead.Id)).Value!.Single(e => e.Kind == "note");
        Assert.StartsWith(next.ToString("yyyy-MM-dd"), entry.Data["nextFollowUpAt"]);

        string Due(DateOnly until) => $"/api/reps/{world.RepA.UserId}/reminders?until={Uri.EscapeDataString(new DateTimeOffset(until.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToString("O"))}";
        Assert.Empty((await world.RepA.SendAsync<Page<DueReminderDto>>(HttpMethod.Get, Due(next.AddDays(-1)))).EnsureStatus(HttpStatusCode.OK).Value!.Items);
        var due = (await world.RepA.SendAsync<Page<DueReminderDto>>(HttpMethod.Get, Due(next))).Value!;
        var reminder = Assert.Single(due.Items);
        Assert.Equal((lead.Id, note.NoteId, id), (reminder.CustomerId, reminder.NoteId, reminder.TemplateId));

        (await world.RepB.SendAsync<Page<DueReminderDto>>(HttpMethod.Get, Due(next))).EnsureStatus(HttpStatusCode.NotFound); // another rep is out of reach
        (await AddNoteAsync(world.RepA, lead.Id, id, new { budget = "<100k", met_decision_maker = true, next_follow_up = "2020-01-01" })).EnsureStatus(HttpStatusCode.BadRequest);

        // A follow-up recorded in the same millisecond as the note counts as following it up (NoteQueries.DueAsync).
        (await world.RepA.FollowUpAsync(lead.Id, FollowUpType.Visit, "demo given")).EnsureStatus(HttpStatusCode.Created);
        Assert.Empty((await world.RepA.SendAsync<Page<DueReminderDto>>(HttpMethod.Get, Due(next))).Value!.Items);
    }

    [Fact]
    public async Task Templates_are_seen_by_their_unit_and_the_units_below_and_company_wide_ones_by_everyone()
    {
        var region = await TestWorld.CreateAsync(Server);
        var other = await TestWorld.CreateAsync(Server);
        var team = (await region.Admin.CreateOrgUnitAsync("Team below", region.OrgUnitId)).EnsureStatus(HttpStatusCode.Created).Value!;
        var tag = Guid.NewGuid().ToString("N")[..6];
        (await region.Admin.CreateUserAsync($"teamrep-{tag}", Role.Rep, team.Id)).EnsureStatus(HttpStatusCode.Created);
        var teamRep = await Server.Api().LoginAsync($"teamrep-{tag}", "rep-Passw0rd!");

        var regional = (await CreateTemplateAsync(region.Manager, FirstVisit(NewId("regional")))).EnsureStatus(HttpStatusCode.Created).Value!;
        var companyWide = (await CreateTemplateAsync(region.Admin, FirstVisit(NewId("company")))).EnsureStatus(HttpStatusCode.Created).Value!;
        Assert.Null(companyWide.OrgUnitId);

        async Task<List<string>> Visible(CrmApi api) =>
            (await api.SendAsync<List<NoteTemplateDto>>(HttpMethod.Get, "/api/note-templates")).Value!.Select(t => t.Id).ToList();
        Assert.Contains(regional.Id, await Visible(teamRep));
        Assert.Contains(companyWide.Id, await Visible(teamRep));
        Assert.DoesNotContain(regional.Id, await Visible(other.RepA));
        Assert.Contains(companyWide.Id, await Visible(other.RepA));

        (await CreateTemplateAsync(other.Manager, FirstVisit() with { OrgUnitId = region.OrgUnitId })).EnsureStatus(HttpStatusCode.Forbidden);
        // Another unit's template is out of reach: writing it answers as for an unknown id.
        (await other.Manager.SendAsync<NoteTemplateDto>(HttpMethod.Put, $"/api/note-templates/{regional.Id}", FirstVisit())).EnsureStatus(HttpStatusCode.NotFound);
        var lead = await OwnedLeadAsync(other, other.RepA);
        (await AddNoteAsync(other.RepA, lead.Id, regional.Id, new { budget = "<100k", met_decision_maker = true })).EnsureStatus(HttpStatusCode.BadRequest);
        // With a version too, the field named is the one an unknown id gets: the other unit's template is not told apart.
        var pinned = await AddNoteAsync(other.RepA, lead.Id, regional.Id, new { budget = "<100k" }, version: 7);
        var unknown = await AddNoteAsync(other.RepA, lead.Id, "no-such-template", new { budget = "<100k" }, version: 7);
        Assert.Equal(["templateId"], pinned.EnsureStatus(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Equal(unknown.ErrorFields, pinned.ErrorFields);
    }

    [Fact]
    public async Task Importing_from_a_plugin_that_is_not_loaded_is_a_clear_404()
    {
        var world = await TestWorld.CreateAsync(Server);

        var missing = await world.Manager.SendAsync<JsonElement>(HttpMethod.Post, "/api/note-templates/import", new ImportNoteTemplatesRequest("No.Such.Plugin"));

        missing.EnsureStatus(HttpStatusCode.NotFound);
        Assert.Equal("No.Such.Plugin", missing.Problem!.Value.GetProperty("plugin").GetString());
        (await world.Manager.SendAsync<JsonElement>(HttpMethod.Post, "/api/note-templates/import", new ImportNoteTemplatesRequest(null))).EnsureStatus(HttpStatusCode.BadRequest);
    }
}

[Collection(ServerCollection.Name)]
public sealed class SqliteNotesEndToEndTests(ServerFixture fixture) : NotesEndToEndTests
{
    protected override ServerProcess Server => fixture.Server;
}

[Collection(PostgresServerCollection.Name)]
public sealed class PostgresNotesEndToEndTests(PostgresServerFixture fixture) : NotesEndToEndTests
{
    protected override ServerProcess Server => fixture.Server;
}
