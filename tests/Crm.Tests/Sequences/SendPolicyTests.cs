using Crm.Grains.Sequences;
using Crm.Sdk;

namespace Crm.Tests.Sequences;

/// <summary>What a channel's answer does to a step's send: retried with a growing wait, never dropped without a trace.</summary>
public sealed class SendPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly MessagingOptions Options = new() { MaxAttempts = 4, RetryAfter = TimeSpan.FromMinutes(5), MaxRetryAfter = TimeSpan.FromMinutes(15) };

    [Fact]
    public void A_transient_failure_is_retried_later_each_time_longer_and_given_up_visibly_after_the_last_try()
    {
        var busy = MessageSendResult.Failed("451 mailbox busy");
        Assert.Equal(new SendPolicy.Decision(SendPolicy.Retrying, 1, Now.AddMinutes(5), "451 mailbox busy"), SendPolicy.Decide(busy, 0, Now, Options));
        Assert.Equal(Now.AddMinutes(10), SendPolicy.Decide(busy, 1, Now, Options).NextAt);
        Assert.Equal(Now.AddMinutes(15), SendPolicy.Decide(busy, 2, Now, Options).NextAt); // capped
        Assert.Equal(new SendPolicy.Decision(SendPolicy.Failed, 4, null, "451 mailbox busy"), SendPolicy.Decide(busy, 3, Now, Options));
    }

    [Fact]
    public void A_permanent_failure_stops_at_once_and_sent_or_prepared_end_the_send()
    {
        Assert.Equal((SendPolicy.Failed, (DateTimeOffset?)null), Pick(SendPolicy.Decide(MessageSendResult.Failed("no address", permanent: true), 0, Now, Options)));
        Assert.Equal((SendPolicy.Sent, (DateTimeOffset?)null), Pick(SendPolicy.Decide(MessageSendResult.Sent(), 1, Now, Options)));
        Assert.Equal((SendPolicy.Prepared, (DateTimeOffset?)null), Pick(SendPolicy.Decide(MessageSendResult.Prepared(), 0, Now, Options)));
        Assert.Equal("the channel gave no reason", SendPolicy.Decide(MessageSendResult.Failed(" "), 0, Now, Options).Error);
    }

    private static (string, DateTimeOffset?) Pick(SendPolicy.Decision d) => (d.State, d.NextAt);
}
