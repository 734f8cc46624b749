namespace Crm.Sdk;

/// <summary>The answer of <see cref="IMessageChannel.SendAsync"/>.</summary>
public sealed record MessageSendResult
{
    /// <summary>Sent, prepared for the rep, or failed.</summary>
    public MessageSendStatus Status { get; init; }

    /// <summary>For a failure, why (shown to the rep and in the plugin's faults); otherwise a note such as a provider's id.</summary>
    public string? Detail { get; init; }

    /// <summary>A failure that trying again will not fix (no address, address refused): the host stops retrying.</summary>
    public bool Permanent { get; init; }

    /// <summary>Sent.</summary>
    /// <param name="detail">An optional note, e.g. the provider's message id.</param>
    public static MessageSendResult Sent(string? detail = null) => new() { Status = MessageSendStatus.Sent, Detail = detail };

    /// <summary>Prepared for the rep to send by hand.</summary>
    /// <param name="detail">An optional note for the rep.</param>
    public static MessageSendResult Prepared(string? detail = null) => new() { Status = MessageSendStatus.Prepared, Detail = detail };

    /// <summary>Not sent.</summary>
    /// <param name="reason">Why, for the rep and the admin.</param>
    /// <param name="permanent">True when trying again will not help.</param>
    public static MessageSendResult Failed(string reason, bool permanent = false) =>
        new() { Status = MessageSendStatus.Failed, Detail = reason, Permanent = permanent };
}
