namespace Crm.Sdk;

/// <summary>
/// Sends (or prepares) the message of a nurturing-sequence step. The host maps each step channel (<c>email</c>,
/// <c>sms</c>, <c>wechat</c>, <c>call</c>, <c>visit</c>) to a message channel by <see cref="Name"/> in its settings;
/// unmapped step channels use the standard plugin's <c>manual</c> channel, which only prepares the text for the rep.
/// </summary>
/// <remarks>
/// One instance serves every rep at once: keep no mutable state in fields. The channel's own configuration arrives
/// with each message (<see cref="OutgoingMessage.Settings"/>). A send may be repeated after a failure or a crash
/// (at least once): <see cref="OutgoingMessage.Id"/> stays the same, so a channel that can should pass it on
/// (e.g. as the e-mail's Message-ID) for the receiving side to drop duplicates.
/// </remarks>
public interface IMessageChannel
{
    /// <summary>A unique name, e.g. <c>smtp-email</c>; the host's settings refer to it.</summary>
    string Name { get; }

    /// <summary>
    /// Sends the message, or prepares it for the rep to send by hand. A throw, or not returning within the host's
    /// budget, counts as a failure that is retried.
    /// </summary>
    /// <param name="message">What to send, to whom, with this channel's settings.</param>
    /// <param name="cancellationToken">Cancelled when the host's time budget for the send runs out.</param>
    Task<MessageSendResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken);
}
