using Crm.Grains.Push;

namespace Crm.Grains.Notifications;

/// <summary>
/// One user's message center (key: user id): numbers each message it is handed (1, 2, 3, ... per user, no gaps),
/// stores it, and only then forwards it to the relays of the silos where that user is connected, in id order.
/// </summary>
public interface IInboxGrain : IGrainWithStringKey
{
    /// <summary>Completes when the message is stored (at once for a transient message or one already stored).</summary>
    Task Append(PushMessage message);

    Task Subscribe(IPushObserver relay);

    Task Unsubscribe(IPushObserver relay);
}
