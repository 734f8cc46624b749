namespace Crm.Sdk;

/// <summary>A message for one customer, rendered from a sequence step's template.</summary>
public sealed record OutgoingMessage
{
    /// <summary>Stable per step: a retry of the same step carries the same id.</summary>
    public required string Id { get; init; }

    /// <summary>The step's channel: <c>email</c>, <c>sms</c>, <c>wechat</c>, <c>call</c> or <c>visit</c>.</summary>
    public required string StepChannel { get; init; }

    /// <summary>The customer the message is for.</summary>
    public required string CustomerId { get; init; }

    /// <summary>The customer's name on its card.</summary>
    public string? CustomerName { get; init; }

    /// <summary>The customer's e-mail address on its card, if any.</summary>
    public string? Email { get; init; }

    /// <summary>The customer's phone number on its card, if any.</summary>
    public string? Phone { get; init; }

    /// <summary>The rep the message is sent for (the customer's owner).</summary>
    public required string RepId { get; init; }

    /// <summary>The rendered text.</summary>
    public required string Body { get; init; }

    /// <summary>This channel's settings from the host's configuration (e.g. an SMTP host and port). Never null.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = EmptySettings;

    private static readonly IReadOnlyDictionary<string, string> EmptySettings = new Dictionary<string, string>();
}
