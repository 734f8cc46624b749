using System.Net;
using System.Text.Json;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Sequences;

/// <summary>
/// A sequence end to end on a real server: enrolment dates the steps on the owner's calendar, the rep's to-do shows the
/// due ones with the message rendered for each customer, marking a step done records a follow-up, and a positive reply,
/// a release or an unenrolment stops the rest.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class SequencesApiTests(ServerFixture fixture)
{
    [Fact]
    public async Task Due_steps_show_rendered_messages_and_replies_releases_and_unenrolments_stop_the_rest()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        // Every day a working day from midnight UTC: the enrolment day's step is due at once, whatever the hour of the run.
        (await world.Admin.SendAsync<JsonElement>(HttpMethod.Put, $"/api/org-units/{world.OrgUnitId}/calendar",
            new WorkCalendarRequest("UTC", [], MorningAt: "00:00"))).EnsureStatus(HttpStatusCode.OK);
        var sequence = (await world.Manager.SendAsync<SequenceDto>(HttpMethod.Post, "/api/sequences", new CreateSequenceRequest("Expo follow-up",
        [
            new SequenceStepRequest(0, "wechat", "Hi {{ name }}, thanks for visiting our stand!"),
            new SequenceStepRequest(3, "email", "{{ name }}, here is the catalogue for {{ company }}.", ["asked for a quote"]),
        ]))).EnsureStatus(HttpStatusCode.Created).Value!;
        Assert.Contains("asked for a quote", sequence.StopOutcomes);
        Assert.Contains("replied", sequence.StopOutcomes);

        var customers = new List<Guid>();
        foreach (var name in new[] { "Wang Fang", "Zhao Lei", "Sun Li" })
        {
            customers.Add((await world.Admin.CreateCustomerAsync(new CreateCustomerRequest(name, Company: $"{name} Trading", PoolId: world.PoolId,
                OwnerId: world.RepA.UserId))).EnsureStatus(HttpStatusCode.Created).Value!.Id);
        }

        var lead = await world.NewLeadAsync();
        var enrolled = (await world.Manager.SendAsync<EnrolResult>(HttpMethod.Post, $"/api/sequences/{sequence.Id}/enrolments",
            new EnrolRequest([.. customers, lead.Id]))).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(3, enrolled.Enrolled);
        Assert.Equal([new EnrolSkip(lead.Id, "unowned")], enrolled.Skipped);
        var again = (await world.Manager.SendAsync<EnrolResult>(HttpMethod.Post, $"/api/sequences/{sequence.Id}/enrolments",
            new EnrolRequest([customers[0]]))).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal((0, "already-enrolled"), (again.Enrolled, again.Skipped.Single().Reason));

        var due = await StepsAsync(world.RepA, "due");
        Assert.Equal(3, due.Total);
        var first = due.Items.Single(s => s.CustomerId == customers[0]);
        Assert.Equal(("wechat", "Hi Wang Fang, thanks for visiting our stand!"), (first.Channel, first.Message));
        var planned = await StepsAsync(world.RepA, "planned");
        var second = planned.Items.Single(s => s.CustomerId == customers[0] && s.StepIndex == 1);
        Assert.Equal("Wang Fang, here is the catalogue for Wang Fang Trading.", second.Message);
        Assert.True(DateOnly.Parse(second.DueDate) == DateOnly.Parse(first.DueDate).AddDays(3)); // every day works in this unit

        // Done: a follow-up of the channel's type on the timeline. The next step is not due yet.
        var done = (await world.RepA.SendAsync<SequenceStepItemDto>(HttpMethod.Post, $"/api/sequences/{sequence.Id}/enrolments/{customers[0]}/steps/0/done",
            new CompleteStepRequest("sent"))).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(("done", "sent"), (done.Status, done.Outcome));
        Assert.Contains((await world.RepA.TimelineAsync(customers[0])).Value!, e => e.Kind == "follow-up" && e.Data["type"] == "message" && e.Data["outcome"] == "sent");
        Assert.Equal(ErrorCodes.StepNotDue, (await world.RepA.SendAsync<SequenceStepItemDto>(HttpMethod.Post,
            $"/api/sequences/{sequence.Id}/enrolments/{customers[0]}/steps/1/done", new CompleteStepRequest("sent"))).Code);
        Assert.Equal(ErrorCodes.StepClosed, (await world.RepA.SendAsync<SequenceStepItemDto>(HttpMethod.Post,
            $"/api/sequences/{sequence.Id}/enrolments/{customers[0]}/steps/0/done", new CompleteStepRequest("sent"))).Code);

        // A positive reply (any follow-up with a stop outcome), a release and an unenrolment each stop the rest.
        (await world.RepA.FollowUpAsync(customers[1], FollowUpType.Call, "Replied")).EnsureStatus(HttpStatusCode.Created);
        (await world.RepA.ReleaseAsync(customers[2], "not now")).EnsureStatus(HttpStatusCode.OK);
        (await world.Manager.SendAsync<JsonElement>(HttpMethod.Delete, $"/api/sequences/{sequence.Id}/enrolments/{customers[0]}")).EnsureStatus(HttpStatusCode.NoContent);
        (await world.Manager.SendAsync<JsonElement>(HttpMethod.Delete, $"/api/sequences/{sequence.Id}/enrolments/{customers[0]}")).EnsureStatus(HttpStatusCode.NotFound);
        Assert.Equal(0, (await StepsAsync(world.RepA, "planned")).Total);
        var stopped = await StepsAsync(world.RepA, "stopped");
        Assert.Equal(5, stopped.Total); // 2 + 2 + customer 0's second step
        // None of them will be sent: none waits for a send (the sweep would skip it only on its morning).
        Assert.All(stopped.Items, s => Assert.True(s.Delivery is null or { State: not ("waiting" or "retrying"), NextAttemptAt: null }, $"{s.Delivery}"));
    }

    [Fact]
    public async Task Bad_sequences_are_refused_with_field_errors_and_reps_do_not_write_them()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        var bad = await world.Manager.SendAsync<SequenceDto>(HttpMethod.Post, "/api/sequences", new CreateSequenceRequest("",
        [
            new SequenceStepRequest(2, "fax", "Hello {{ name }}"),
            new SequenceStepRequest(1, "sms", "Hello {{ secret }}"),
        ]));
        Assert.Equal(["name", "steps[0].channel", "steps[1].day", "steps[1].template"], bad.EnsureStatus(HttpStatusCode.BadRequest).ErrorFields.Order(StringComparer.Ordinal));
        // A body that compiles but fails whenever it runs (past the loop limit) is refused now, not on every customer's step later.
        var endless = await world.Manager.SendAsync<SequenceDto>(HttpMethod.Post, "/api/sequences", new CreateSequenceRequest("Endless",
            [new SequenceStepRequest(0, "sms", "{{ for i in 1..100000000 }}x{{ end }}")]));
        Assert.Equal(["steps[0].template"], endless.EnsureStatus(HttpStatusCode.BadRequest).ErrorFields);
        (await world.RepA.SendAsync<SequenceDto>(HttpMethod.Post, "/api/sequences", new CreateSequenceRequest("Mine", [new SequenceStepRequest(0, "sms", "Hi")])))
            .EnsureStatus(HttpStatusCode.Forbidden);
        Assert.Equal(["status"], (await world.RepA.SendAsync<JsonElement>(HttpMethod.Get, $"/api/reps/{world.RepA.UserId}/sequence-steps?status=late"))
            .EnsureStatus(HttpStatusCode.BadRequest).ErrorFields);
    }

    private static async Task<Page<SequenceStepItemDto>> StepsAsync(CrmApi rep, string status) =>
        (await rep.SendAsync<Page<SequenceStepItemDto>>(HttpMethod.Get, $"/api/reps/{rep.UserId}/sequence-steps?status={status}&pageSize=100"))
        .EnsureStatus(HttpStatusCode.OK).Value!;
}
