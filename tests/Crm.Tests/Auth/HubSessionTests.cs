using Crm.Grains.Common;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Crm.Client;
using Crm.Grains.Org;
using Crm.Server.Hubs;
using Crm.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Tests.Auth;

/// <summary>Live-event connections follow the token and the user's access (docs/security.md V3.3, V4).</summary>
[Collection(ServerCollection.Name)]
public sealed class HubSessionTests(ServerFixture fixture)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_manager_moved_to_another_unit_loses_its_connection_within_seconds()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        var manager = (await world.Manager.GetAsync($"/api/users/{world.Manager.UserId}")).EnsureStatus(HttpStatusCode.OK);
        var elsewhere = (await world.Admin.CreateOrgUnitAsync($"Elsewhere {Guid.NewGuid():N}")).EnsureStatus(HttpStatusCode.Created).Value!;
        var (connection, closed) = await ConnectAsync(world.Manager);
        var (bystander, _) = await ConnectAsync(world.RepA); // same unit, access unchanged: stays

        (await world.Admin.SendAsync<JsonElement>(HttpMethod.Put, $"/api/users/{world.Manager.UserId}",
            new UpdateUserRequest(OrgUnitId: elsewhere.Id))).EnsureStatus(HttpStatusCode.OK);

        Assert.Same(closed.Task, await Task.WhenAny(closed.Task, Task.Delay(Within)));
        Assert.Equal(HubConnectionState.Disconnected, connection.State);
        Assert.Equal(HubConnectionState.Connected, bystander.State);
        Assert.Single(await bystander.InvokeAsync<string[]>("Channels")); // still served
        Assert.Equal(world.OrgUnitId, manager.Value.GetProperty("orgUnitId").GetString());
        await connection.DisposeAsync();
        await bystander.DisposeAsync();
    }

    [Fact]
    public async Task One_user_holds_at_most_five_connections_per_silo()
    {
        var world = await fixture.SharedWorldAsync();
        var name = $"hub-{Guid.NewGuid():N}"[..16];
        (await world.Admin.CreateUserAsync(name, Role.Rep, world.OrgUnitId)).EnsureStatus(HttpStatusCode.Created);
        var rep = await fixture.Server.Api().LoginAsync(name, "rep-Passw0rd!");
        var open = new List<HubConnection>();
        for (var i = 0; i < 5; i++)
        {
            open.Add((await ConnectAsync(rep)).Connection);
        }

        var sixth = await Record.ExceptionAsync(() => ConnectAsync(rep));

        Assert.NotNull(sixth);
        Assert.All(open, c => Assert.Equal(HubConnectionState.Connected, c.State));
        foreach (var connection in open)
        {
            await connection.DisposeAsync();
        }
    }

    [Fact]
    public void A_connection_closes_when_its_token_expires_or_its_user_leaves_changes_role_or_unit_or_its_sessions_end()
    {
        var now = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
        var session = new HubSession("c1", "u1", UserRole.Manager, "east", "/root/east/", now.AddMinutes(15), () => { });
        var member = new OrgMember("u1", UserRole.Manager, "east", "/root/east/", true);
        var skew = TimeSpan.FromSeconds(30);

        Assert.Null(HubSessions.CloseReason(session, member, now.AddMinutes(15), skew));
        Assert.Equal("token expired", HubSessions.CloseReason(session, member, now.AddMinutes(15) + skew, skew));
        Assert.Equal("user left", HubSessions.CloseReason(session, member with { Active = false }, now, skew));
        Assert.Equal("user left", HubSessions.CloseReason(session, null, now, skew));
        Assert.Equal("sessions ended", HubSessions.CloseReason(session, member with { SessionVersion = 1 }, now, skew)); // password reset
        Assert.Equal("access changed", HubSessions.CloseReason(session, member with { Role = UserRole.Rep }, now, skew));
        Assert.Equal("access changed", HubSessions.CloseReason(session, member with { OrgUnitId = "west", OrgUnitPath = "/root/west/" }, now, skew));
        Assert.Equal("access changed", HubSessions.CloseReason(session, member with { OrgUnitPath = "/other/east/" }, now, skew)); // the unit moved
    }

    /// <summary>A connection without automatic reconnect, so that a close stays visible; returns once its channels are subscribed.</summary>
    private static async Task<(HubConnection Connection, TaskCompletionSource Closed)> ConnectAsync(CrmApi user)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(user.BaseAddress, "/hubs/reps"), o => o.AccessTokenProvider = () => Task.FromResult(user.Token))
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)))
            .Build();
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        await connection.StartAsync();
        await connection.InvokeAsync<string[]>("Channels");
        return (connection, closed);
    }
}
