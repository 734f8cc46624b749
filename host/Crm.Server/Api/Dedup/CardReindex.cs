using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Dedup.Pending;
using Crm.Server.Api.Customers;

namespace Crm.Server.Api.Dedup;

/// <summary>
/// A customer's dedup card changed by an edit (its details, its custom fields): the card is keyed and compared again
/// before the answer, so a later lead with the new value is caught and a customer that already had it is flagged with
/// this one. The edit is stored whatever happens here: its commit left the customer in <c>dedup_rekey</c>
/// (<see cref="DedupRekeys"/>), which this ends once the keys are recorded, and which the retrier keys after a grace
/// should the server die first; a failing strategy or index also queues the customer, as at creation.
/// </summary>
public sealed class CardReindex(DedupIndexer indexer, DedupPendingQueue pending, DedupRekeys rekeys, IGrainFactory grains, TimeProvider clock, ILogger<CardReindex> logger)
{
    /// <summary>
    /// Re-keys the edited customer and answers it as it is then: new keys are a commit of their own after the edit's, and
    /// the answer's version (its <c>ETag</c>) is what the next edit's <c>If-Match</c> names.
    /// </summary>
    /// <param name="edited">The customer the edit answered, should the read after the re-key find none.</param>
    public async Task<CustomerDto> AnswerAfterEditAsync(Guid id, string reason, Actor actor, CustomerDto edited)
    {
        await AfterEditAsync(id, reason);
        return (await grains.GetGrain<ICustomerGrain>(id).Read(actor)).Customer?.ToDto() ?? edited;
    }

    /// <param name="reason">What changed the card (the timeline's <c>dedup-indexed</c> names it).</param>
    public async Task AfterEditAsync(Guid id, string reason)
    {
        string? fault;
        try
        {
            var outcome = await indexer.IndexAsync(id, reason, compare: true);
            if (outcome.Status == IndexStatus.Indexed)
            {
                await rekeys.KeyedAsync(id.ToString(), outcome.Version);
            }

            fault = outcome.Status switch
            {
                IndexStatus.Failed => outcome.Fault,
                IndexStatus.Moved => "The customer changed while its card was indexed.",
                _ => null,
            };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            fault = $"{e.GetType().Name}: {e.Message}";
        }

        if (fault is not null)
        {
            logger.LogWarning("Dedup indexing of customer {Customer} after an edit ({Reason}) is queued: {Fault}", id, reason, fault);
            await pending.EnqueueAsync(id.ToString(), fault, UnixTime.ToMs(clock.GetUtcNow()));
        }
    }
}
