namespace Crm.Grains.Outbox;

/// <summary>
/// Something that must happen after a customer's commit, outside the customer grain: recorded in the same transaction
/// (table <c>customer_outbox</c>) and delivered at least once by <see cref="OutboxDispatcher"/>. Every effect is
/// idempotent or versioned, so delivering it twice does no harm.
/// </summary>
[GenerateSerializer]
public abstract record OutboxEffect;
