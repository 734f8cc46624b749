using System.ComponentModel.DataAnnotations;

namespace Crm.Grains.Sequences;

/// <summary>How sequence steps are sent (section <c>Crm:Messaging</c>; docs/tasks-and-notifications.md).</summary>
public sealed class MessagingOptions
{
    public const string Section = "Crm:Messaging";

    /// <summary>The message channel a step channel uses when <see cref="Channels"/> does not map it.</summary>
    public const string DefaultChannel = "manual";

    /// <summary>How often each silo looks for steps to send (on the injected clock).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SweepEvery { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Tries per step before it is left failed for the rep to send by hand.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Wait before the second try; it doubles each time, up to <see cref="MaxRetryAfter"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromMinutes(5);

    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Real time one send may take before it counts as failed (and is retried).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Step channel (<c>email</c>, <c>sms</c>, <c>wechat</c>, <c>call</c>, <c>visit</c>) → the message channel that sends it, with its settings.</summary>
    public Dictionary<string, ChannelRoute> Channels { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public ChannelRoute RouteOf(string stepChannel) =>
        Channels.TryGetValue(stepChannel, out var route) && !string.IsNullOrWhiteSpace(route.Use) ? route : new ChannelRoute { Use = DefaultChannel };
}

/// <summary>Which message channel sends a step channel's messages, and that channel's settings (handed to it with each message).</summary>
public sealed class ChannelRoute
{
    public string Use { get; set; } = MessagingOptions.DefaultChannel;

    public Dictionary<string, string> Settings { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
