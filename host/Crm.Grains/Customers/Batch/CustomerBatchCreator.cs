using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.CustomFields;
using Crm.Grains.Customers.Events;
using Crm.Grains.EventLog;
using Crm.Grains.Org;
using Crm.Grains.Outbox;
using Crm.Grains.Pools;
using Crm.Grains.Storage;

namespace Crm.Grains.Customers.Batch;

/// <summary>
/// Creates many customers without activating their grains (imports): each customer's commit (snapshot, its
/// <see cref="Created"/> event, outbox entry, list row and the projections' rows) is built exactly as
/// <see cref="CustomerGrain"/> builds it for a creation, and a batch of them is written in one group-commit
/// transaction. A customer grain activated later loads that snapshot as if it had written it itself. The outbox entries
/// are then delivered in bulk (<see cref="CustomerBatchDelivery"/>) and deleted; after a crash the outbox sweep
/// delivers what was left, one entry at a time.
/// </summary>
public sealed class CustomerBatchCreator(
    IGrainFactory grains, CustomerEventLog log, SqlBatchWriter writer, CustomerCommitWrites commits, OutboxDispatcher outbox,
    CustomerAccess access, OrgTreeCache tree, CustomFieldCatalog fields, IEnumerable<ICustomerProjection> projections, TimeProvider clock)
{
    /// <summary>
    /// The customer grain's checks of a creation (<see cref="CustomerGrain.Create"/>): custom fields, the pool and the
    /// actor's use of it, the regional pool of the address. Caches per pool live in <paramref name="batch"/>.
    /// </summary>
    public async Task<CreationCheck> CheckAsync(NewCustomer request, Actor actor, BatchCaches batch)
    {
        if (request.OwnerId is not null)
        {
            throw new NotSupportedException("A batch creates leads without an owner; a creation with an owner goes through the customer grain.");
        }

        var definitions = batch.Fields ??= await fields.ForAsync(CustomFieldEntity.Customer);
        var (values, badValue) = CustomFieldRules.ReadOrFirstError(definitions, request.CustomFieldValues());
        var card = values.Where(v => v.Value is not null).ToDictionary(v => v.Key, v => v.Value!, StringComparer.Ordinal);
        if (badValue is { } bad)
        {
            return new CreationCheck(CrmError.Invalid(bad.Field, bad.Message), null, null, card);
        }

        var missing = CustomFieldRules.Missing(definitions, card, StageNames.Of(CustomerStage.Lead), checkRequired: true);
        if (missing.Count > 0)
        {
            // A field required outright is named as POST /api/customers names it; one required at the lead stage by the stage.
            var message = missing.All(key => definitions.First(d => d.Key == key).Required)
                ? $"'{string.Join("', '", missing)}' {(missing.Count == 1 ? "is" : "are")} required."
                : $"Before the customer moves to '{StageNames.Of(CustomerStage.Lead)}', fill in: {string.Join(", ", missing)}.";
            return new CreationCheck(CrmError.Invalid($"customFields.{missing[0]}", message), null, null, card);
        }

        var pool = await batch.PoolAsync(request.PoolId!, id => grains.GetGrain<IPoolGrain>(id).Get());
        if (pool is null || !await batch.MayUseAsync(pool, p => access.MayUsePoolAsync(actor, p.Id, p.OrgUnitId)))
        {
            return new CreationCheck(CrmError.Invalid("poolId", $"Pool '{request.PoolId}' does not exist."), null, null, card);
        }

        var region = await tree.RegionFor(request.Address);
        if (region is not null && await batch.PoolAsync(region.PoolId, id => grains.GetGrain<IPoolGrain>(id).Get()) is { } regional
            && !OrgPaths.Reaches(await tree.PathOf(region.OrgUnitId), await tree.PathOf(pool.OrgUnitId)))
        {
            pool = regional;
        }

        return new CreationCheck(null, pool, region?.OrgUnitId, card);
    }

    /// <summary>The event the customer grain raises for a creation that passed <see cref="CheckAsync"/>.</summary>
    public static Created CreatedOf(CreationCheck check, NewCustomer request, Actor actor, IReadOnlyList<string> dedupKeys, string? dedupPending,
        DateTimeOffset now) =>
        new(now, actor.UserId, CustomerProfile.From(request),
            new LeadTraits(TextInput.TrimOrNull(request.Industry), TextInput.TrimOrNull(request.Region), TextInput.TrimOrNull(request.Language)),
            check.Pool!.Id, check.Pool.OrgUnitId, check.RegionUnitId, null, dedupKeys, check.CustomFields.Count == 0 ? null : check.CustomFields, dedupPending);

    /// <summary>
    /// Stores the customers in one transaction. Answers the ids stored by this call and, of the others, those another
    /// attempt stored first (a concurrent retry of the same import); with the outbox effects of each stored one.
    /// </summary>
    /// <param name="customers">Each customer's events: its <see cref="Created"/>, then any raised with it (duplicate flags).</param>
    public async Task<BatchStored> StoreAsync(IReadOnlyList<(Guid Id, IReadOnlyList<CustomerEvent> Events)> customers)
    {
        var recorded = clock.GetUtcNow();
        var built = new List<(Guid Id, CustomerCommit Commit, List<OutboxEffect> Effects)>(customers.Count);
        foreach (var (id, events) in customers)
        {
            if (events.Count == 0 || events[0] is not Created)
            {
                throw new ArgumentException($"Customer {id}: a batch creation begins with its Created event.", nameof(customers));
            }

            built.Add(await BuildAsync(id, events, recorded));
        }

        // In transactions of at most CommitRows customers, queued together: one long transaction would hold the one
        // writer (and the database lock) for seconds on a loaded machine and run into the database timeout.
        var parts = built.Chunk(CommitRows).Select(part => WriteAsync(part.ToList())).ToList();
        var stored = new List<StoredCustomer>();
        var already = new List<Guid>();
        Exception? failed = null;
        foreach (var part in parts)
        {
            try
            {
                var (partStored, partAlready) = await part;
                stored.AddRange(partStored);
                already.AddRange(partAlready);
            }
            catch (Exception ex)
            {
                failed ??= ex;
            }
        }

        return new BatchStored(stored, already, failed);
    }

    /// <summary>Customers per transaction of a batch.</summary>
    public const int CommitRows = 250;

    private async Task<(List<StoredCustomer> Stored, List<Guid> Already)> WriteAsync(List<(Guid Id, CustomerCommit Commit, List<OutboxEffect> Effects)> built)
    {
        try
        {
            // All first commits, in one transaction that stores all or none: the additions to counter rows go summed.
            var all = SummedStatements.Of(built.Select(b => b.Commit).ToList());
            await writer.WriteAsync(commits.Together, all);
            return (built.Select(b => new StoredCustomer(b.Id, b.Commit.Version, b.Effects)).ToList(), []);
        }
        catch (VersionConflictException)
        {
            // Someone stored one of them first: each alone, so that only those fail.
            var stored = new List<StoredCustomer>();
            var already = new List<Guid>();
            foreach (var (id, commit, effects) in built)
            {
                try
                {
                    await log.AppendAsync(commit);
                    stored.Add(new StoredCustomer(id, commit.Version, effects));
                }
                catch (VersionConflictException)
                {
                    already.Add(id);
                }
            }

            return (stored, already);
        }
    }

    /// <summary>What <see cref="CustomerGrain"/>'s RaiseAsync and CommitAsync make of its first events on a customer never stored.</summary>
    private async Task<(Guid, CustomerCommit, List<OutboxEffect>)> BuildAsync(Guid id, IReadOnlyList<CustomerEvent> events, DateTimeOffset recorded)
    {
        var before = new CustomerState();
        var next = new CustomerState();
        next.Apply(events, recorded);
        var effects = CustomerEffects.Of(id, before, next, events);
        // The entry also holds the customer's index entry, which the batch settles itself: should the process die before
        // that, the outbox sweep indexes the customer (the one-at-a-time gate commits the keys without an outbox entry).
        List<OutboxEffect> stored = [.. effects, IndexDedup.Of(id, next)];
        var statements = new List<CommitStatement>();
        foreach (var projection in projections)
        {
            await projection.PrepareAsync(events);
            projection.Project(id, next, events, before.Version + 1, statements);
        }

        var rows = events.Select((e, i) => new EventRow(before.Version + i + 1, UnixTime.ToMs(e.At), e.Kind, e.ActorId, EventJson.WriteUtf8(e))).ToList();
        var commit = new CustomerCommit(id.ToString(), before.Version, next.Version, log.Serialize(next), UnixTime.ToMs(next.UpdatedAt), rows,
            outbox.Serialize(stored), CustomerMappings.ToRow(id, next), [], next.OrgUnitId, statements,
            events.SelectMany(e => e.ReadModel(id, next)).ToList());
        return (id, commit, effects);
    }
}

/// <summary>The result of a customer grain's checks of a creation: the refusal, or the pool, region and custom-field card.</summary>
public sealed record CreationCheck(CrmError? Error, PoolInfo? Pool, string? RegionUnitId, Dictionary<string, CustomValue> CustomFields);

/// <summary>
/// Customers stored by a batch (with the effects to deliver), those another attempt had stored first, and the first
/// failure of a transaction that stored nothing (its customers are neither stored nor answered).
/// </summary>
public sealed record BatchStored(IReadOnlyList<StoredCustomer> Stored, IReadOnlyList<Guid> Already, Exception? Failure);

/// <summary>A customer a batch stored: its version (that of its outbox entry) and the effects to deliver.</summary>
public sealed record StoredCustomer(Guid Id, long Version, List<OutboxEffect> Effects);
