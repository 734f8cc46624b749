using Crm.Sdk;

namespace Crm.Plugins.Standard.Messaging;

/// <summary>
/// The channel every step channel uses unless the server maps it to another: it sends nothing and leaves the rendered
/// text in the rep's to-do, for the rep to send from its own phone or mailbox and mark done.
/// </summary>
public sealed class ManualChannel : IMessageChannel
{
    public const string ChannelName = "manual";

    public string Name => ChannelName;

    public Task<MessageSendResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        var to = message.StepChannel switch
        {
            "email" => message.Email,
            "call" or "visit" => null,
            _ => message.Phone,
        };
        return Task.FromResult(MessageSendResult.Prepared(to is null ? null : $"to {to}"));
    }
}
