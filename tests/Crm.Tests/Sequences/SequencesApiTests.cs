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

    [Fact]
    public async Task A_customer_whose_owner_does_not_use_the_sequence_is_skipped_not_enrolled()
    {
        // Company > East, West. East's sequence is used by East's people only: a West rep could neither open it nor stop it.
        var admin = await fixture.Server.Api().LoginAsAdminAsync();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var company = (await admin.CreateOrgUnitAsync($"Company {tag}")).EnsureStatus(HttpStatusCode.Created).Value!.Id;
        var east = (await admin.CreateOrgUnitAsync($"East {tag}", company)).EnsureStatus(HttpStatusCode.Created).Value!.Id;
        var west = (await admin.CreateOrgUnitAsync($"West {tag}", company)).EnsureStatus(HttpStatusCode.Created).Value!.Id;
        async Task<CrmApi> User(string name, Role role, string unit)
        {
            (await admin.CreateUserAsync($"{name}-{tag}", role, unit)).EnsureStatus(HttpStatusCode.Created);
            return await fixture.Server.Api().LoginAsync($"{name}-{tag}", "rep-Passw0rd!");
        }

        var (boss, eastManager, eastRep, westRep) = (await User("boss", Role.Manager, company), await User("mgr-e", Role.Manager, east),
            await User("rep-e", Role.Rep, east), await User("rep-w", Role.Rep, west));
        async Task<Guid> CustomerOf(CrmApi rep, string unit) => (await admin.CreateCustomerAsync(new CreateCustomerRequest($"Customer of {rep.UserId}",
            PoolId: (await admin.CreatePoolAsync($"Pool {unit} {tag}", unit)).EnsureStatus(HttpStatusCode.Created).Value!.Id, OwnerId: rep.UserId)))
            .EnsureStatus(HttpStatusCode.Created).Value!.Id;
        var (eastCustomer, westCustomer) = (await CustomerOf(eastRep, east), await CustomerOf(westRep, west));
        var sequence = (await eastManager.SendAsync<SequenceDto>(HttpMethod.Post, "/api/sequences",
            new CreateSequenceRequest("Nurture", [new SequenceStepRequest(0, "call", "Call {{ name }}"), new SequenceStepRequest(2, "email", "Mail")], east)))
            .EnsureStatus(HttpStatusCode.Created).Value!;

        var result = (await boss.SendAsync<EnrolResult>(HttpMethod.Post, $"/api/sequences/{sequence.Id}/enrolments",
            new EnrolRequest([eastCustomer, westCustomer]))).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(1, result.Enrolled);
        Assert.Equal([new EnrolSkip(westCustomer, "outside-unit")], result.Skipped);
        Assert.Equal(2, (await StepsAsync(eastRep, "planned")).Total + (await StepsAsync(eastRep, "due")).Total);
        Assert.Equal(0, (await StepsAsync(westRep, "planned")).Total + (await StepsAsync(westRep, "due")).Total);
    }

    private static async Task<Page<SequenceStepItemDto>> StepsAsync(CrmApi rep, string status) =>
        (await rep.SendAsync<Page<SequenceStepItemDto>>(HttpMethod.Get, $"/api/reps/{rep.UserId}/sequence-steps?status={status}&pageSize=100"))
        .EnsureStatus(HttpStatusCode.OK).Value!;
}
