using System.Text.Json;
using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Plugins;
using Crm.Sdk;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Crm.Grains.Sequences;

/// <summary>
/// Sends one rep's due steps through the message channels their step channels are mapped to (a plugin's
/// <see cref="IMessageChannel"/>, called on the thread pool under a real-time budget). A sent message marks the step
/// done and records the follow-up on the customer, as if the rep had sent it; a prepared one stays in the rep's to-do;
/// a failure is retried with a growing wait and, after the last try, left failed in the to-do with its reason.
/// Runs inside the rep's <see cref="RepSequenceGrain"/>, so it never races the rep marking a step done.
/// </summary>
public sealed class StepSender(SequenceSendStore store, SequenceTemplates templates, IServiceProvider services, IOptions<MessagingOptions> options,
    TimeProvider clock, ILogger<StepSender> logger)
{
    private const int StepsPerRead = 50;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Budgets are real elapsed time: business time (the injected clock) may stand still in tests.
    private static readonly TimeProvider Wall = TimeProvider.System;

    /// <summary>Tries the rep's due sends for up to about <paramref name="budget"/>; answers how many were tried and whether more are due.</summary>
    public async Task<SendBatch> SendDueAsync(string repId, IGrainFactory grains, TimeSpan budget)
    {
        var started = Wall.GetTimestamp();
        var tried = 0;
        var due = await store.DueAsync(repId, clock.GetUtcNow(), StepsPerRead);
        foreach (var send in due)
        {
            if (Wall.GetElapsedTime(started) > budget)
            {
                return new SendBatch(tried, true);
            }

            await SendOneAsync(repId, send, grains);
            tried++;
        }

        return new SendBatch(tried, due.Count == StepsPerRead);
    }

    private async Task SendOneAsync(string repId, SequenceSendStore.DueSend send, IGrainFactory grains)
    {
        if (send.StepStatus != SequenceStatuses.Planned)
        {
            await store.SkipAsync(send);
            return;
        }

        var route = options.Value.RouteOf(send.Channel);
        var steps = JsonSerializer.Deserialize<List<SequenceStep>>(send.Steps, Json)!;
        var (text, renderError) = await templates.RenderAsync(steps[send.StepIndex].Template, send.Name, send.Company, send.Phone, send.Email, send.StepIndex + 1);
        var result = text is null
            ? MessageSendResult.Failed($"The template does not render for this customer: {renderError}", permanent: true)
            : await CallAsync(route, new OutgoingMessage
            {
                Id = $"{send.SequenceId}.{send.CustomerId}.{send.StepIndex}",
                StepChannel = send.Channel,
                CustomerId = send.CustomerId,
                CustomerName = send.Name,
                Email = send.Email,
                Phone = send.Phone,
                RepId = repId,
                Body = text,
                Settings = route.Settings,
            });
        var now = clock.GetUtcNow();
        var decision = SendPolicy.Decide(result, send.Attempts, now, options.Value);
        if (decision.State == SendPolicy.Sent)
        {
            var customer = Guid.Parse(send.CustomerId);
            var recorded = await grains.GetGrain<ICustomerGrain>(customer).AddFollowUp(
                new NewFollowUp(SequenceChannels.FollowUpOf(send.Channel), SequenceSendStore.SentOutcome, Truncate(text!, 4000)),
                new Actor(repId, UserRole.Rep, null));
            if (recorded.Error is { } error)
            {
                logger.LogWarning("Step {Sequence}/{Customer}/{Step} was sent but its follow-up was not recorded: {Error}",
                    send.SequenceId, send.CustomerId, send.StepIndex, error.Message);
            }
        }
        else if (decision.State is SendPolicy.Retrying or SendPolicy.Failed)
        {
            logger.LogWarning("Step {Sequence}/{Customer}/{Step} on {Channel} failed (try {Attempt}, {State}): {Error}",
                send.SequenceId, send.CustomerId, send.StepIndex, route.Use, decision.Attempts, decision.State, decision.Error);
        }

        await store.RecordAsync(send, route.Use, decision, now);
    }

    private async Task<MessageSendResult> CallAsync(ChannelRoute route, OutgoingMessage message)
    {
        // Resolved per call: a silo without the plugin host (some test set-ups) fails the send visibly instead of not starting.
        using var lease = services.GetService<IStrategyCatalog>()?.RentChannel(route.Use);
        if (lease is null)
        {
            return MessageSendResult.Failed($"No loaded plugin offers the message channel '{route.Use}'.");
        }

        var health = lease.Health;
        health.RecordCall();
        var timeout = options.Value.SendTimeout;
        using var cancel = new CancellationTokenSource(timeout);
        var work = Task.Run(() => lease.Strategy.SendAsync(message, cancel.Token));
        try
        {
            var result = await work.WaitAsync(timeout + TimeSpan.FromSeconds(1));
            if (result is null)
            {
                health.RecordFault("answered null", Wall.GetUtcNow());
                return MessageSendResult.Failed($"The channel '{route.Use}' gave no answer.");
            }

            if (result.Status == MessageSendStatus.Failed)
            {
                health.RecordFault(result.Detail ?? "failed", Wall.GetUtcNow());
            }

            return result;
        }
        catch (TimeoutException)
        {
            health.RecordTimeout($"no answer within {timeout.TotalSeconds:0.#} s", Wall.GetUtcNow());
            _ = work.ContinueWith(_ => health.RecordLateReturn(), TaskScheduler.Default);
            return MessageSendResult.Failed($"The channel '{route.Use}' did not answer within {timeout.TotalSeconds:0.#} s.");
        }
        catch (Exception ex)
        {
            var reason = ex is OperationCanceledException ? $"cancelled after {timeout.TotalSeconds:0.#} s" : $"{ex.GetType().Name}: {ex.Message}";
            health.RecordFault(reason, Wall.GetUtcNow());
            return MessageSendResult.Failed($"The channel '{route.Use}' failed: {reason}");
        }
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}

/// <summary>What one call of a rep's sending did: steps tried, and whether more are due.</summary>
[GenerateSerializer, Immutable]
public sealed record SendBatch([property: Id(0)] int Tried, [property: Id(1)] bool More);
