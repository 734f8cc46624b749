using System.Net;
using System.Text.Json;
using Crm.Client;
using Crm.Tests.Infrastructure;
using Crm.Tests.Plugins;

namespace Crm.Tests.Sequences;

/// <summary>
/// Sending as a plugin, end to end: a real server loads the sample SMTP channel from its plugins folder, maps the
/// <c>email</c> step channel to it, and sends due steps to a real SMTP listener. A sent step is done with a follow-up on
/// the timeline; a busy mailbox is retried; a refused address or a customer without one is left failed in the rep's
/// to-do with the reason; an unmapped channel goes through the standard plugin's manual channel (prepared, not sent).
/// </summary>
public sealed class SequenceSendingTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new("crm-sending");
    private readonly PluginDirectory _plugins = new PluginDirectory().WithStandard().WithBuildOutput(
        Path.Combine(RepoPaths.Root, "plugins", "samples", "Acme.SmtpEmail", "bin", RepoPaths.Configuration, "net10.0"), "Acme.SmtpEmail");
    private SmtpSink _sink = null!;
    private ServerProcess _server = null!;

    public async Task InitializeAsync()
    {
        _sink = SmtpSink.Start();
        _server = await ServerProcess.StartAsync(_data.Path, new Dictionary<string, string>
        {
            ["Crm__Plugins__Directory"] = _plugins.Path,
            ["Crm__Messaging__SweepEvery"] = "00:00:01",
            ["Crm__Messaging__RetryAfter"] = "00:00:01",
            ["Crm__Messaging__MaxAttempts"] = "3",
            ["Crm__Messaging__Channels__email__Use"] = "smtp-email",
            ["Crm__Messaging__Channels__email__Settings__Host"] = "127.0.0.1",
            ["Crm__Messaging__Channels__email__Settings__Port"] = _sink.Port.ToString(),
            ["Crm__Messaging__Channels__email__Settings__From"] = "sales@acme.test",
            ["Crm__Messaging__Channels__email__Settings__Subject"] = "News for {name}",
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _sink.DisposeAsync();
        _plugins.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task Due_email_steps_are_sent_over_smtp_retried_when_busy_and_left_visible_when_refused()
    {
        var world = await TestWorld.CreateAsync(_server);
        // Every day a working day from midnight UTC: the enrolment day's steps are due at once.
        (await world.Admin.SendAsync<JsonElement>(HttpMethod.Put, $"/api/org-units/{world.OrgUnitId}/calendar",
            new WorkCalendarRequest("UTC", [], MorningAt: "00:00"))).EnsureStatus(HttpStatusCode.OK);
        _sink.BusyFor("boris@example.com", 1);
        _sink.Refuse("chen@example.com");
        var anna = await CustomerAsync(world, "Anna Ivanova", "anna@example.com");
        var boris = await CustomerAsync(world, "Boris Petrov", "boris@example.com");
        var chen = await CustomerAsync(world, "Chen Jing", "chen@example.com");
        var dmitri = await CustomerAsync(world, "Dmitri Orlov", null);
        var email = await SequenceAsync(world, "email", "Dear {{ name }}, our spring catalogue is out.");
        var wechat = await SequenceAsync(world, "wechat", "Hi {{ name }}!");
        await EnrolAsync(world, email, anna, boris, chen, dmitri);
        await EnrolAsync(world, wechat, anna);

        var steps = await EventuallyAsync(world.RepA, s =>
            s.Count(x => x.Delivery?.State is "sent" or "failed" or "prepared") == 5);
        Step(steps, email, anna, out var annaStep);
        Assert.Equal(("done", "sent", "smtp-email", 1), (annaStep.Status, annaStep.Outcome, annaStep.Delivery!.Channel, annaStep.Delivery.Attempts));
        Step(steps, email, boris, out var borisStep);
        Assert.Equal(("done", "sent", 2), (borisStep.Status, borisStep.Delivery!.State, borisStep.Delivery.Attempts)); // 451 once, then sent
        Step(steps, email, chen, out var chenStep);
        Assert.Equal(("planned", "failed", 1), (chenStep.Status, chenStep.Delivery!.State, chenStep.Delivery.Attempts)); // refused: not retried
        Assert.Contains("chen@example.com", chenStep.Delivery.LastError);
        Step(steps, email, dmitri, out var dmitriStep);
        Assert.Equal(("planned", "failed"), (dmitriStep.Status, dmitriStep.Delivery!.State));
        Assert.Contains("no e-mail address", dmitriStep.Delivery.LastError);
        Step(steps, wechat, anna, out var wechatStep);
        Assert.Equal(("planned", "prepared", "manual"), (wechatStep.Status, wechatStep.Delivery!.State, wechatStep.Delivery.Channel));

        // What the SMTP server received: one message each for Anna and Boris, rendered for them, with the step's id.
        var mails = _sink.Received;
        Assert.Equal(["anna@example.com", "boris@example.com"], mails.SelectMany(m => m.To).Order());
        var toAnna = mails.Single(m => m.To.Contains("anna@example.com"));
        Assert.Equal("News for Anna Ivanova", toAnna.Header("Subject"));
        Assert.Equal($"{email}.{anna}.0", toAnna.Header("X-Crm-Message-Id"));
        Assert.Contains("Dear Anna Ivanova, our spring catalogue is out.", toAnna.Data);

        // The rep did not have to mark it: the sent e-mail is on the customer's timeline as the rep's follow-up.
        Assert.Contains((await world.RepA.TimelineAsync(anna)).Value!, e => e.Kind == "follow-up" && e.Data["type"] == "email" && e.Data["outcome"] == "sent");
        // The failed steps stay due for the rep to send by hand; the refused ones count as the channel's faults.
        var due = (await world.RepA.SendAsync<Page<SequenceStepItemDto>>(HttpMethod.Get, $"/api/reps/{world.RepA.UserId}/sequence-steps?status=due"))
            .EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(new[] { chen, dmitri, anna }.Order(), due.Items.Select(s => s.CustomerId).Order());
        var plugins = (await world.Admin.SendAsync<PluginListDto>(HttpMethod.Get, "/api/plugins")).EnsureStatus(HttpStatusCode.OK).Value!;
        var smtp = plugins.Items.Single(p => p.Name == "Acme.SmtpEmail");
        Assert.Equal(["smtp-email"], smtp.MessageChannels);
        Assert.Equal((5, 3), (smtp.Strategies.Single().Calls, smtp.Faults)); // Anna, Boris twice, Chen, Dmitri; Boris's 451, Chen, Dmitri
        Assert.Equal(["manual"], plugins.Items.Single(p => p.Name == "Crm.Plugins.Standard").MessageChannels);
    }

    private static void Step(IReadOnlyList<SequenceStepItemDto> steps, string sequence, Guid customer, out SequenceStepItemDto step) =>
        step = steps.Single(s => s.SequenceId == sequence && s.CustomerId == customer);

    private static async Task<Guid> CustomerAsync(TestWorld world, string name, string? email) =>
        (await world.Admin.CreateCustomerAsync(new CreateCustomerRequest(name, Company: $"{name} LLC", Email: email, PoolId: world.PoolId,
            OwnerId: world.RepA.UserId))).EnsureStatus(HttpStatusCode.Created).Value!.Id;

    private static async Task<string> SequenceAsync(TestWorld world, string channel, string template) =>
        (await world.Manager.SendAsync<SequenceDto>(HttpMethod.Post, "/api/sequences",
            new CreateSequenceRequest($"Spring {channel}", [new SequenceStepRequest(0, channel, template)])))
        .EnsureStatus(HttpStatusCode.Created).Value!.Id;

    private static async Task EnrolAsync(TestWorld world, string sequence, params Guid[] customers) =>
        (await world.Manager.SendAsync<EnrolResult>(HttpMethod.Post, $"/api/sequences/{sequence}/enrolments", new EnrolRequest(customers)))
        .EnsureStatus(HttpStatusCode.OK);

    /// <summary>Reads the rep's steps (every status) until <paramref name="done"/> holds; fails after 30 s of real time.</summary>
    private static async Task<IReadOnlyList<SequenceStepItemDto>> EventuallyAsync(CrmApi rep, Func<IReadOnlyList<SequenceStepItemDto>, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            // Done first: a step the sweep finishes between the two reads is then missing once (read again), never listed twice.
            var all = new List<SequenceStepItemDto>();
            foreach (var status in new[] { "done", "planned" })
            {
                all.AddRange((await rep.SendAsync<Page<SequenceStepItemDto>>(HttpMethod.Get,
                    $"/api/reps/{rep.UserId}/sequence-steps?status={status}&pageSize=100")).EnsureStatus(HttpStatusCode.OK).Value!.Items);
            }

            if (done(all) || DateTime.UtcNow > deadline)
            {
                Assert.True(done(all), "Not every step was handled in 30 s: " + string.Join("; ", all.Select(s => $"{s.CustomerName}/{s.Channel}: {s.Status} {s.Delivery}")));
                return all;
            }

            await Task.Delay(200);
        }
    }
}
