using Crm.Sdk;

namespace Crm.Grains.Sequences;

/// <summary>What a channel's answer does to a step's send: done, left to the rep, retried later, or given up visibly.</summary>
public static class SendPolicy
{
    public const string Waiting = "waiting";
    public const string Retrying = "retrying";
    public const string Sent = "sent";
    public const string Prepared = "prepared";
    public const string Failed = "failed";
    public const string Skipped = "skipped";

    public sealed record Decision(string State, int Attempts, DateTimeOffset? NextAt, string? Error);

    /// <param name="attempts">Tries before this one.</param>
    public static Decision Decide(MessageSendResult result, int attempts, DateTimeOffset now, MessagingOptions options)
    {
        var tries = attempts + 1;
        return result.Status switch
        {
            MessageSendStatus.Sent => new Decision(Sent, tries, null, null),
            MessageSendStatus.Prepared => new Decision(Prepared, tries, null, null),
            _ when result.Permanent || tries >= options.MaxAttempts => new Decision(Failed, tries, null, Describe(result)),
            _ => new Decision(Retrying, tries, now + Backoff(tries, options), Describe(result)),
        };
    }

    /// <summary>RetryAfter, doubled after each further failure, capped.</summary>
    public static TimeSpan Backoff(int failures, MessagingOptions options)
    {
        var wait = options.RetryAfter * Math.Pow(2, Math.Min(failures - 1, 20));
        return wait > options.MaxRetryAfter ? options.MaxRetryAfter : wait;
    }

    private static string Describe(MessageSendResult result)
    {
        var detail = string.IsNullOrWhiteSpace(result.Detail) ? "the channel gave no reason" : result.Detail.Trim();
        return detail.Length > 1000 ? detail[..1000] : detail;
    }
}
