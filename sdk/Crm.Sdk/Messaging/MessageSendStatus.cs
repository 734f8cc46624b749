namespace Crm.Sdk;

/// <summary>What became of a message.</summary>
public enum MessageSendStatus
{
    /// <summary>Delivered to the channel's service: the host marks the step done and records a follow-up.</summary>
    Sent,

    /// <summary>Prepared for the rep to send by hand: the step stays in the rep's to-do.</summary>
    Prepared,

    /// <summary>Not sent: the host tries again later, unless the failure is permanent.</summary>
    Failed,
}
