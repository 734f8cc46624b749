using System.Net;
using Crm.Client;
using Crm.Server.Permissions;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Permissions;

/// <summary>
/// The company-wide duplicate check and note previews are limited per rep (429 with Retry-After, ASP.NET Core's
/// rate limiter) and every rep's call is in the audit log; managers are not limited. A server of its own with a
/// limit of <see cref="PerMinute"/>.
/// </summary>
public sealed class RepLookupLimitTests : IAsyncLifetime
{
    private const int PerMinute = 3;
    private readonly TempDirectory _data = new("crm-lookups");
    private ServerProcess _server = null!;

    public async Task InitializeAsync() =>
        _server = await ServerProcess.StartAsync(_data.Path, new Dictionary<string, string> { ["Crm__Lookups__PerRepPerMinute"] = PerMinute.ToString() });

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task A_rep_past_its_lookups_per_minute_gets_429_with_retry_after_every_lookup_is_audited_and_managers_are_not_limited()
    {
        var world = await TestWorld.CreateAsync(_server);
        var check = new CreateCustomerRequest("Qian", null, "+86 137 0000 1111", PoolId: world.PoolId);

        var repA = new List<HttpStatusCode>();
        for (var i = 0; i < PerMinute + 1; i++)
        {
            repA.Add((await world.RepA.SendAsync<object>(HttpMethod.Post, "/api/customers/check", check)).Status);
        }

        using var preview = new HttpRequestMessage(HttpMethod.Post, "/api/note-templates/preview")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new NotePreviewRequest(new NoteTemplateRequest("T", [], "Hello", Language: "en")), options: CrmApi.Json),
        };
        var previewLimited = await world.RepA.SendRawAsync(preview);
        var repB = await world.RepB.SendAsync<object>(HttpMethod.Post, "/api/customers/check", check);
        var manager = new List<HttpStatusCode>();
        for (var i = 0; i < PerMinute + 2; i++)
        {
            manager.Add((await world.Manager.SendAsync<object>(HttpMethod.Post, "/api/customers/check", check)).Status);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, PerMinute), HttpStatusCode.TooManyRequests], repA);
        Assert.Equal((HttpStatusCode.TooManyRequests, ErrorCodes.TooManyRequests, true), previewLimited);
        Assert.Equal(HttpStatusCode.OK, repB.Status);
        Assert.All(manager, s => Assert.Equal(HttpStatusCode.OK, s));
        var audit = (await world.Admin.SendAsync<Page<AuditEntry>>(HttpMethod.Get, $"/api/audit?action=lookup.duplicate-check&actorId={world.RepA.UserId}"))
            .EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(PerMinute, audit.Total);
        Assert.All(audit.Items, e => Assert.Equal("/api/customers/check", e.TargetId));
        var managerAudit = (await world.Admin.SendAsync<Page<AuditEntry>>(HttpMethod.Get, $"/api/audit?action=lookup.duplicate-check&actorId={world.Manager.UserId}")).Value!;
        Assert.Equal(0, managerAudit.Total);
    }
}
