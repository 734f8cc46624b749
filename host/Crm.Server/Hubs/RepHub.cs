using Crm.Client;
using Crm.Grains.Push;
using Crm.Server.Auth;
using Crm.Server.Org;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Crm.Server.Hubs;

/// <summary>
/// <c>/hubs/reps</c>. A rep's connection joins its own channel only; a manager's joins the channels of its
/// org unit and every unit below it (never above or beside); an admin's, like a manager's, those of the unit it sits
/// on, if any (subscribing an admin to every unit would cost one channel per unit per connection). The units are
/// those of the moment of connecting: a unit created or moved later reaches a manager after it reconnects.
/// Events arrive through <see cref="PushRelay"/>.
/// </summary>
[Authorize]
public sealed class RepHub(PushRelay relay, OrgUnitDirectory units) : Hub
{
    public const string Path = "/hubs/reps";

    public override async Task OnConnectedAsync()
    {
        var channels = await ChannelsOf(Context.User!);
        Context.Items["channels"] = channels;
        foreach (var channel in channels)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, channel);
            await relay.AddListenerAsync(channel);
        }

        await base.OnConnectedAsync();
    }

    /// <summary>
    /// The channels this connection listens on. SignalR runs a connection's calls only after its connect
    /// handler finished, so a client that awaits this knows its subscriptions are in place.
    /// </summary>
    public IReadOnlyList<string> Channels() =>
        Context.Items["channels"] as IReadOnlyList<string> ?? [];

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items["channels"] is IReadOnlyList<string> channels)
        {
            foreach (var channel in channels)
            {
                await relay.RemoveListenerAsync(channel);
            }
        }

        await base.OnDisconnectedAsync(exception);
    }

    private async Task<IReadOnlyList<string>> ChannelsOf(System.Security.Claims.ClaimsPrincipal user)
    {
        var visibility = user.ToVisibility();
        var channels = new List<string> { PushChannels.Rep(visibility.UserId) };
        if (visibility.Role is Role.Manager or Role.Admin && user.FindFirst(TokenService.OrgUnitClaim)?.Value is { } unit)
        {
            channels.AddRange((await units.SubtreeAsync(unit)).Select(PushChannels.Unit));
        }

        return channels;
    }
}
