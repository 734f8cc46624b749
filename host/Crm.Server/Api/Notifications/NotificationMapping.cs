using System.Text.Json;
using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Notifications;

namespace Crm.Server.Api.Notifications;

/// <summary>A stored notification as clients see it, over REST and on the hub.</summary>
public static class NotificationMapping
{
    public static Notification ToClient(NotificationRow row)
    {
        using var json = JsonDocument.Parse(row.Data);
        return new Notification(row.Id, row.EventType, UnixTime.FromMs(row.AtMs), json.RootElement.Clone(), UnixTime.FromMs(row.ReadMs));
    }
}
