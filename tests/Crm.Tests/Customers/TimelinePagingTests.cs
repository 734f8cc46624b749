using System.Globalization;
using System.Net;
using Crm.Client;
using Crm.Tests.Infrastructure;
using static Crm.Tests.Notes.NoteTemplateBuilder;

namespace Crm.Tests.Customers;

/// <summary>A customer's timeline and notes read page by page over HTTP from the real server, merged customers included.</summary>
[Collection(ServerCollection.Name)]
public sealed class TimelinePagingTests(ServerFixture fixture)
{
    private static string Unique(string prefix) => $"{prefix} {Guid.NewGuid().ToString("N")[..8]}";

    private static string UniquePhone() => "+86 137 " + Random.Shared.Next(1000_0000, 9999_9999).ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_long_timeline_pages_back_newest_first_with_every_entry_exactly_once()
    {
        var world = await fixture.SharedWorldAsync();
        var lead = await world.NewLeadAsync(Unique("Paging Ltd."), phone: UniquePhone());
        (await world.RepA.ClaimAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK);
        for (var i = 0; i < 120; i++)
        {
            (await world.RepA.FollowUpAsync(lead.Id, FollowUpType.Call, "talked", $"call {i:000}")).EnsureStatus(HttpStatusCode.Created);
        }

        var pages = new List<TimelinePage>();
        string? before = null;
        do
        {
            var page = (await world.RepA.TimelinePageAsync(lead.Id, before, 50)).EnsureStatus(HttpStatusCode.OK).Value!;
            pages.Add(page);
            before = page.NextBefore;
        }
        while (before is not null && pages.Count < 10);

        Assert.Equal([50, 50, 22], pages.Select(p => p.Items.Count));
        Assert.Null(pages[^1].NextBefore);
        Assert.All(pages.SkipLast(1), p => Assert.Equal(p.Items[^1].Position.ToString(CultureInfo.InvariantCulture), p.NextBefore));
        var entries = pages.SelectMany(p => p.Items).ToList();
        Assert.Equal(Enumerable.Range(1, 122).Reverse(), entries.Select(e => e.Seq));
        Assert.True(entries.Zip(entries.Skip(1)).All(pair => pair.First.Position > pair.Second.Position), "positions are not strictly newest first");
        Assert.Equal(
            Enumerable.Range(0, 120).Reverse().Select(i => $"call {i:000}").Append(null).Append(null),
            entries.Select(e => e.Text));
        Assert.Equal(["claimed", "created"], entries.TakeLast(2).Select(e => e.Kind));

        // The default page is 50, the newest first; the largest page holds the whole of it but two.
        var byDefault = (await world.RepA.SendAsync<TimelinePage>(HttpMethod.Get, $"/api/customers/{lead.Id}/timeline")).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(entries.Take(50).Select(e => e.Position), byDefault.Items.Select(e => e.Position));
        var largest = (await world.RepA.TimelinePageAsync(lead.Id, null, 200)).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(entries.Select(e => e.Position), largest.Items.Select(e => e.Position));
        Assert.Null(largest.NextBefore);
    }

    [Fact]
    public async Task A_follow_up_answers_its_place_in_the_timeline_and_that_position_pages_on_from_it()
    {
        var world = await fixture.SharedWorldAsync();
        var lead = await world.NewLeadAsync(Unique("Cursor Ltd."), phone: UniquePhone());
        (await world.RepA.ClaimAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK);
        (await world.RepA.FollowUpAsync(lead.Id, FollowUpType.Call, "talked", "first call")).EnsureStatus(HttpStatusCode.Created);

        var added = (await world.RepA.FollowUpAsync(lead.Id, FollowUpType.Call, "talked", "second call")).EnsureStatus(HttpStatusCode.Created).Value!;

        var timeline = (await world.RepA.TimelinePageAsync(lead.Id, null, 50)).EnsureStatus(HttpStatusCode.OK).Value!.Items;
        var entry = Assert.Single(timeline, e => e.Text == "second call");
        Assert.Equal((entry.Seq, entry.Position), (added.Seq, added.Position));
        Assert.True(added.Position > 0, "a follow-up's answer has no position");
        // Used as the cursor, it answers what came before it.
        var older = (await world.RepA.TimelinePageAsync(lead.Id, added.Position.ToString(CultureInfo.InvariantCulture), 50))
            .EnsureStatus(HttpStatusCode.OK).Value!.Items;
        Assert.Equal(timeline.SkipWhile(e => e.Position >= added.Position).Select(e => e.Position), older.Select(e => e.Position));
        Assert.Equal("first call", older[0].Text);
    }

    [Theory]
    [InlineData("timeline", "limit=0", "limit")]
    [InlineData("timeline", "limit=201", "limit")]
    [InlineData("timeline", "before=abc", "before")]
    [InlineData("timeline", "before=0", "before")]
    [InlineData("timeline", "before=-7", "before")]
    [InlineData("notes", "limit=0", "limit")]
    [InlineData("notes", "limit=201", "limit")]
    [InlineData("notes", "before=abc", "before")]
    public async Task A_page_out_of_range_or_a_cursor_that_is_not_one_is_refused_naming_the_field(string list, string query, string field)
    {
        var world = await fixture.SharedWorldAsync();
        var lead = await world.NewLeadAsync(Unique("Bad Paging Ltd."), phone: UniquePhone());

        var refused = await world.Manager.GetAsync($"/api/customers/{lead.Id}/{list}?{query}");

        refused.EnsureStatus(HttpStatusCode.BadRequest);
        Assert.Equal([field], refused.ErrorFields);
    }

    [Fact]
    public async Task A_survivor_s_timeline_shows_the_merged_customer_s_history_marked_and_not_its_merged_into_entry()
    {
        var world = await fixture.SharedWorldAsync();
        var survivor = await world.NewLeadAsync(Unique("Survivor Trading"), phone: UniquePhone());
        var duplicate = await world.NewLeadAsync(Unique("Survivor Trading Branch"), phone: UniquePhone());
        (await world.RepA.ClaimAsync(survivor.Id)).EnsureStatus(HttpStatusCode.OK);
        (await world.RepA.FollowUpAsync(survivor.Id, FollowUpType.Call, "talked", "the survivor's call")).EnsureStatus(HttpStatusCode.Created);
        (await world.RepB.ClaimAsync(duplicate.Id)).EnsureStatus(HttpStatusCode.OK);
        (await world.RepB.FollowUpAsync(duplicate.Id, FollowUpType.Visit, "met", "the duplicate's visit")).EnsureStatus(HttpStatusCode.Created);

        await MergeAsync(world, survivor.Id, duplicate.Id, "same company");

        var timeline = (await world.Manager.TimelineAsync(survivor.Id)).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.DoesNotContain(timeline, e => e.Kind == "merged-into");
        var theirs = timeline.Where(e => e.Kind != "merged" && e.Data.ContainsKey("mergedFrom")).ToList();
        Assert.Equal(["created", "claimed", "follow-up"], theirs.Select(e => e.Kind));
        Assert.All(theirs, e => Assert.Equal(duplicate.Id.ToString(), e.Data["mergedFrom"]));
        Assert.Equal("the duplicate's visit", theirs[^1].Text);
        var ours = timeline.Where(e => !e.Data.ContainsKey("mergedFrom")).ToList();
        Assert.Equal(["created", "claimed", "follow-up"], ours.Select(e => e.Kind));
        Assert.Equal("the survivor's call", ours[^1].Text);
        var merged = Assert.Single(timeline, e => e.Kind == "merged");
        Assert.Equal(("same company", duplicate.Id.ToString()), (merged.Reason, merged.Data["mergedFrom"]));
        Assert.Equal(timeline[^1], merged);
        Assert.Equal(7, timeline.Count);
    }

    [Fact]
    public async Task After_a_merged_customer_is_merged_again_the_last_survivor_shows_all_three_histories()
    {
        var world = await fixture.SharedWorldAsync();
        var a = await world.NewLeadAsync(Unique("Nested A"), phone: UniquePhone());
        var b = await world.NewLeadAsync(Unique("Nested B"), phone: UniquePhone());
        var c = await world.NewLeadAsync(Unique("Nested C"), phone: UniquePhone());
        foreach (var (lead, text) in new[] { (a, "a's call"), (b, "b's call"), (c, "c's call") })
        {
            (await world.Manager.FollowUpAsync(lead.Id, FollowUpType.Call, "talked", text)).EnsureStatus(HttpStatusCode.Created);
        }

        await MergeAsync(world, b.Id, a.Id, "a is b");
        await MergeAsync(world, c.Id, b.Id, "b is c");

        var timeline = (await world.Manager.TimelineAsync(c.Id)).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.DoesNotContain(timeline, e => e.Kind == "merged-into");
        string? From(TimelineEntryDto e) => e.Data.GetValueOrDefault("mergedFrom");
        Assert.Equal(a.Id.ToString(), From(Assert.Single(timeline, e => e.Text == "a's call")));
        Assert.Equal(b.Id.ToString(), From(Assert.Single(timeline, e => e.Text == "b's call")));
        Assert.Null(From(Assert.Single(timeline, e => e.Text == "c's call")));
        Assert.Equal(
            new[] { a.Id.ToString(), b.Id.ToString(), null }.Order(),
            timeline.Where(e => e.Kind == "created").Select(From).Order());
        // Both merges are on C's timeline, each naming the customer it took in.
        Assert.Equal([("a is b", a.Id.ToString()), ("b is c", b.Id.ToString())], timeline.Where(e => e.Kind == "merged").Select(e => (e.Reason, From(e))));
        Assert.Equal(8, timeline.Count);
    }

    [Fact]
    public async Task Notes_page_back_newest_first_without_the_other_entries()
    {
        var world = await fixture.SharedWorldAsync();
        var template = (await world.Manager.SendAsync<NoteTemplateDto>(HttpMethod.Post, "/api/note-templates",
            FirstVisit($"paging-{Guid.NewGuid().ToString("N")[..8]}"))).EnsureStatus(HttpStatusCode.Created).Value!;
        var lead = await world.NewLeadAsync(Unique("Notes Paging Ltd."), phone: UniquePhone());
        (await world.RepA.ClaimAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK);
        var written = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var note = (await world.RepA.SendAsync<NoteDto>(HttpMethod.Post, $"/api/customers/{lead.Id}/notes",
                new AddNoteRequest(template.Id, Answers(new { budget = "<100k", met_decision_maker = true, remarks = $"visit {i}" }))))
                .EnsureStatus(HttpStatusCode.Created).Value!;
            written.Add(note.NoteId);
            (await world.RepA.FollowUpAsync(lead.Id, FollowUpType.Call, "between notes")).EnsureStatus(HttpStatusCode.Created);
        }

        var pages = new List<NotePage>();
        string? before = null;
        do
        {
            var page = (await world.RepA.SendAsync<NotePage>(HttpMethod.Get,
                $"/api/customers/{lead.Id}/notes?limit=2{(before is null ? "" : $"&before={before}")}")).EnsureStatus(HttpStatusCode.OK).Value!;
            pages.Add(page);
            before = page.NextBefore;
        }
        while (before is not null && pages.Count < 10);

        Assert.Equal([2, 2, 1], pages.Select(p => p.Items.Count));
        Assert.Null(pages[^1].NextBefore);
        var notes = pages.SelectMany(p => p.Items).ToList();
        Assert.Equal(Enumerable.Reverse(written), notes.Select(n => n.NoteId));
        Assert.Equal(Enumerable.Range(0, 5).Reverse().Select(i => $"visit {i}"), notes.Select(n => n.Text.Trim().Split('\n')[^1].Trim()));
    }

    private static async Task MergeAsync(TestWorld world, Guid survivor, Guid duplicate, string reason) =>
        (await world.Manager.SendAsync<CustomerDto>(HttpMethod.Post, $"/api/customers/{survivor}/merge", new MergeRequest(duplicate, reason)))
            .EnsureStatus(HttpStatusCode.OK);
}
