using Crm.Client;
using Crm.Grains.Push;
using Crm.Server.Auth;
using Crm.Server.Org;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Crm.Server.Hubs;

/// <summary>
/// <c>/hubs/reps</c>. A rep's connection joins its own channel; a manager's joins the channels of its
/// org unit and every unit below it. Events arrive through <see cref="PushRelay"/>.
/// </summary>
[Authorize]
public sealed class RepHub(PushRelay relay, OrgUnitDirectory units) : Hub
{
    public const string Path = "/hubs/reps";

    public override async Task OnConnectedAsync()
    {
        var channels = await ChannelsOf(Context.User!.ToActor());
        Context.Items["channels"] = channels;
        foreach (var channel in channels)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, channel);
            await relay.AddListenerAsync(channel);
        }

        await base.OnConnectedAsync();
    }

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

    private async Task<IReadOnlyList<string>> ChannelsOf(Grains.Common.Actor actor)
    {
        var channels = new List<string> { PushChannels.Rep(actor.UserId) };
        if (actor.Role is Role.Manager or Role.Admin && actor.OrgUnitId is { } unit)
        {
            channels.AddRange((await units.SubtreeAsync(unit)).Select(PushChannels.Unit));
        }

        return channels;
    }
}
