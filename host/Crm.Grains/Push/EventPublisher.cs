using System.Text.Json;
using System.Text.Json.Serialization;
using Crm.Client;

namespace Crm.Grains.Push;

/// <summary>Turns an event record into a push message and sends it to the channels that should see it.</summary>
public static class EventPublisher
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>
    /// The only way the server makes a push message: the hub method name is the event record's type name. Import
    /// progress is live-only; every other event is also kept in its users' message center.
    /// </summary>
    public static PushMessage ToMessage(ICrmPushEvent evt) => new(
        evt.GetType().Name, JsonSerializer.Serialize(evt, evt.GetType(), Json), evt.At, Guid.NewGuid().ToString("N"), Transient: evt is ImportProgress);

    public static void Publish(IGrainFactory grains, ICrmPushEvent evt, IEnumerable<string> channels)
    {
        var message = ToMessage(evt);
        foreach (var channel in channels.Distinct())
        {
            // One-way: a slow or absent client never slows down the change that caused the event.
            _ = grains.GetGrain<IPushChannelGrain>(channel).Publish(message);
        }
    }
}
