using Crm.Client;
using Crm.Grains.Assignment;
using Crm.Grains.Common;
using Crm.Grains.CustomFields;
using Crm.Grains.Customers.Events;
using Crm.Grains.Deals;
using Crm.Grains.Dedup;
using Crm.Grains.EventLog;
using Crm.Grains.Notes;
using Crm.Grains.Org;
using Crm.Grains.Outbox;
using Crm.Grains.Pools;
using Crm.Grains.Reps;
using Crm.Grains.Storage;
using Orleans.Runtime.Placement;
using Orleans.Serialization;

namespace Crm.Grains.Customers;

/// <summary>
/// The single authority on one customer. Each command checks, decides and raises events; <see cref="RaiseAsync"/>
/// commits them with the new snapshot and the outbox entry of their side effects in one transaction, and only then
/// does the grain's memory change. A failed commit leaves the grain exactly as it was.
/// </summary>
public sealed partial class CustomerGrain(
    CustomerEventLog log, OutboxDispatcher outbox, OutboxDelivery delivery, CustomerAccess access, OrgTreeCache tree, PoolDirectory pools, DeepCopier copier, TimeProvider clock,
    DealCatalog deals, CustomFieldCatalog fields, Levels.LevelCatalog levels, IEnumerable<ICustomerProjection> projections)
    : Grain, ICustomerGrain, IChangesStateOnlyAfterCommit
{
    private CustomerState S { get; set; } = new();

    private readonly ReadAffinity _reads = new();

    private Guid Id => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        S = (await log.LoadAsync(Id)).State ?? new CustomerState();

    public async Task<Result<CustomerView>> Create(NewCustomer request, Actor actor, IReadOnlyList<string>? dedupKeys = null, string? dedupPending = null)
    {
        if (S.Exists || S.MergedInto is not null)
        {
            return CrmError.Conflict(ErrorCodes.AlreadyExists, $"Customer '{Id}' already exists.", new() { ["id"] = Id.ToString() });
        }

        var (values, badValue) = CustomFieldRules.ReadOrFirstError(await fields.ForAsync(CustomFieldEntity.Customer), request.CustomFieldValues());
        var card = values.Where(v => v.Value is not null).ToDictionary(v => v.Key, v => v.Value!, StringComparer.Ordinal);
        if (badValue is { } bad)
        {
            return CrmError.Invalid(bad.Field, bad.Message);
        }

        if (await IncompleteAsync(CustomFieldEntity.Customer, card, StageNames.Of(CustomerStage.Lead)) is { } incomplete)
        {
            return incomplete;
        }

        var pool = await pools.InfoAsync(request.PoolId!);
        if (pool is null || !await access.MayUsePoolAsync(actor, pool.Id, pool.OrgUnitId))
        {
            return CrmError.Invalid("poolId", $"Pool '{request.PoolId}' does not exist.");
        }

        // An address inside a region sends the lead to that region's pool, unless it is already in one under it.
        var region = await tree.RegionFor(request.Address);
        if (region is not null && await RegionalPoolAsync(region, pool) is { } regional)
        {
            pool = regional;
        }

        var now = clock.GetUtcNow();
        var created = new Created(now, actor.UserId,
            CustomerProfile.From(request),
            new LeadTraits(TextInput.TrimOrNull(request.Industry), TextInput.TrimOrNull(request.Region), TextInput.TrimOrNull(request.Language)),
            pool.Id, pool.OrgUnitId, region?.OrgUnitId, request.OwnerId, dedupKeys ?? [], card.Count == 0 ? null : card, dedupPending);
        if (request.OwnerId is { } owner)
        {
            return await TakeAsync(TakeKind.Create, owner, actor, null, created, limits: OwnershipLimits.Of(pool.Rules, owner));
        }

        await RaiseAsync(created);
        return Dto();
    }

    public Task<CustomerView?> Get() => Task.FromResult(S.Exists ? Dto() : null);

    public async Task<CustomerRead> Read(Actor reader)
    {
        FollowReads();
        return S.MergedInto is { } survivor ? new CustomerRead(null, survivor)
            : await SeenByAsync(reader) ? new CustomerRead(Dto(), null)
            : new CustomerRead(null, null);
    }

    public async Task<HistoryPage?> GetTimeline(long? before = null, int limit = 50, Actor? reader = null)
    {
        FollowReads();
        return await SeenByAsync(reader) ? await log.ReadTimelineAsync(Id, S.MergedFrom, before, Math.Clamp(limit, 1, CustomerEventLog.MaxPage)) : null;
    }

    /// <summary>Moves this grain, once idle, to the silo its recent reads all came through (see <see cref="ReadAffinity"/>).</summary>
    private void FollowReads()
    {
        if (_reads.Observe(RequestContext.Get(ReadAffinity.OriginKey) as SiloAddress, GrainContext.Address.SiloAddress!) is not { } silo)
        {
            return;
        }

        // Migration takes the request context of this call to the placement director, which honours the hint.
        RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
        this.MigrateOnIdle();
        RequestContext.Remove(IPlacementDirector.PlacementHintKey);
    }

    public async Task<HistoryPage?> GetNotes(long? before = null, int limit = 50, Actor? reader = null) =>
        await SeenByAsync(reader) ? await log.ReadTimelineAsync(Id, S.MergedFrom, before, Math.Clamp(limit, 1, CustomerEventLog.MaxPage), TimelineKinds.Note) : null;

    /// <summary>Exists, and the reader (if any) may see it: reads check here, without asking the read model.</summary>
    private async Task<bool> SeenByAsync(Actor? reader) =>
        S.Exists && (reader is null || await access.SeesAsync(reader, S.OrgUnitId, S.PoolId, S.OwnerId));

    public Task<string?> GetRegionUnitId() => Task.FromResult(S.RegionUnitId);

    public Task<Guid?> AliasOf() => Task.FromResult(S.MergedInto);

    public Task<AssignmentLead?> GetAssignmentLead() =>
        Task.FromResult(S.Exists ? CustomerMappings.ToLead(Id, S, clock.GetUtcNow()) : null);

    public async Task<Result<CustomerView>> Claim(Actor actor)
    {
        // The pool is read once per claim: reach, membership, limits and collusion rules all come from this read.
        var pool = S.Exists ? await PoolAsync() : null;
        if (await ExistingAndReachableAsync(actor, pool) is { } refused)
        {
            return refused;
        }

        if (actor.Role != UserRole.Rep)
        {
            return CrmError.Forbidden("Only reps claim customers; managers assign them.");
        }

        if (S.OwnerId == actor.UserId)
        {
            return Dto();
        }

        var now = clock.GetUtcNow();
        var suspicions = pool?.Rules is not { } rules
            ? []
            : CollusionRules.Detect(Id, S.Ownership.Select(o => new CollusionStep(o.Kind, o.RepId, o.At)).ToList(), actor.UserId, now, rules);
        return await TakeAsync(TakeKind.Claim, actor.UserId, actor, pool, new Claimed(now, actor.UserId, actor.UserId),
            suspicions.Select(c => new ReportCollusion(S.PoolId, c)));
    }

    public async Task<Result<CustomerView>> Release(string? reason, Actor actor)
    {
        var pool = S.Exists ? await PoolAsync() : null;
        if (await ExistingAndSeenAsync(actor, pool) is { } refused)
        {
            return refused;
        }

        if (S.OwnerId is not { } owner)
        {
            return CrmError.Conflict(ErrorCodes.NotOwned, "The customer is already in its public pool.", new() { ["customerId"] = Id.ToString() });
        }

        if (owner != actor.UserId && !actor.IsManagerOrAdmin)
        {
            return CrmError.Forbidden("A rep may only release its own customers.");
        }

        var now = clock.GetUtcNow();
        await RaiseAsync(new Released(now, actor.UserId, owner, reason, LockUntil(pool?.Rules, now), CoolDownUntil(pool?.Rules, now)));
        return Dto();
    }

    public async Task<Result<CustomerView>> Assign(string repId, string? reason, Actor actor)
    {
        var pool = S.Exists ? await PoolAsync() : null;
        if (await ExistingAndReachableAsync(actor, pool) is { } refused)
        {
            return refused;
        }

        if (!actor.IsManagerOrAdmin)
        {
            return CrmError.Forbidden("Only managers and admins assign customers.");
        }

        if (S.OwnerId == repId)
        {
            return Dto();
        }

        return await TakeAsync(TakeKind.Assign, repId, actor, pool, new Assigned(clock.GetUtcNow(), actor.UserId, repId, S.OwnerId, reason));
    }

    public async Task<Result<CustomerView>> AssignByRule(string repId, AssignmentNote note)
    {
        if (!S.Exists)
        {
            return NotFound();
        }

        if (S.OwnerId == repId)
        {
            return Dto();
        }

        var pool = S.OwnerId is null ? await PoolAsync() : null;
        return await TakeAsync(TakeKind.Rule, repId, Actor.System with { UserId = note.ActorId }, pool,
            new Assigned(clock.GetUtcNow(), note.ActorId, repId, null, note.Reason, note.Strategy, note.Trigger, note.FellBack));
    }

    public async Task<Result<HistoryEntry>> AddFollowUp(NewFollowUp request, Actor actor)
    {
        if (await OwnerOrManagerAsync(actor, "Only the rep who owns this customer may follow it up.") is { } refused)
        {
            return refused;
        }

        var now = clock.GetUtcNow();
        var at = request.At ?? now;
        if (at > now.AddMinutes(5))
        {
            return CrmError.Invalid("at", "A follow-up is recorded after it happened; 'at' may not be in the future.");
        }

        if (request.RequestId is { } requestId && S.RecentFollowUps.FirstOrDefault(r => r.Id == requestId) is { } done)
        {
            // Sent again after its answer was lost (a silo left mid-call): the follow-up it added, not a second one.
            return await LoggedAsync(CustomerMappings.ToEntry(done.Seq, new FollowedUp(done.At, actor.UserId, request.Type, request.Outcome,
                TextInput.TrimOrNull(request.Text), TextInput.TrimOrNull(request.Location), requestId)));
        }

        var followUp = new FollowedUp(at, actor.UserId, request.Type, request.Outcome,
            TextInput.TrimOrNull(request.Text), TextInput.TrimOrNull(request.Location), request.RequestId);
        await RaiseAsync(followUp);
        return await LoggedAsync(CustomerMappings.ToEntry(S.Version, followUp));
    }

    /// <summary>
    /// The entry with its place in the log, as the timeline shows it: the position is the database's, known only once the
    /// event is stored, and a client pages the timeline from it.
    /// </summary>
    private async Task<HistoryEntry> LoggedAsync(HistoryEntry entry)
    {
        try
        {
            return entry with { Position = await log.PositionOfAsync(Id, entry.Seq) };
        }
        catch (Exception e) when (DatabaseFailures.IsStorageFailure(e))
        {
            // The follow-up is stored: a failed look-up of its place must not answer it as failed (a retry would add it
            // again). Position 0 says "unknown"; the timeline has it.
            return entry;
        }
    }

    public async Task<FollowUpStandings> FollowUpStandings(IReadOnlyList<OrgMember> users)
    {
        if (!S.Exists)
        {
            return new FollowUpStandings(null, users.Select(_ => FollowUpStanding.Missing).ToList());
        }

        var pool = S.OwnerId is null && users.Any(u => u.Role == UserRole.Rep) ? await PoolAsync() : null;
        var standings = new List<FollowUpStanding>(users.Count);
        foreach (var user in users)
        {
            standings.Add(await access.FollowUpStandingAsync(user, Id, S.OrgUnitId, S.PoolId, S.OwnerId, S.RegionUnitId, pool));
        }

        return new FollowUpStandings(S.OwnerId, standings);
    }

    public async Task<Result<CustomerView>> ChangeStage(CustomerStage stage, string? reason, Actor actor)
    {
        if (await OwnerOrManagerAsync(actor, "Only the rep who owns this customer, or a manager, may change its stage.") is { } refused)
        {
            return refused;
        }

        var from = S.Stage;
        if (!StageRules.CanMove(from, stage))
        {
            return CrmError.Invalid("stage",
                $"A customer in stage '{StageNames.Of(from)}' cannot move to '{StageNames.Of(stage)}'; allowed: {string.Join(", ", StageRules.NextStages(from).Select(StageNames.Of))}.");
        }

        if (StageRules.NeedsReason(stage) && string.IsNullOrWhiteSpace(reason))
        {
            return CrmError.Invalid("reason", $"Say why the customer is {StageNames.Of(stage)}.");
        }

        if (await IncompleteAsync(CustomFieldEntity.Customer, S.CustomFields, StageNames.Of(stage)) is { } incomplete)
        {
            return incomplete;
        }

        await RaiseAsync(new StageMoved(clock.GetUtcNow(), actor.UserId, from, stage, TextInput.TrimOrNull(reason)));
        return Dto();
    }

    public async Task FlagDuplicate(Guid other, DedupMatch match, Actor actor)
    {
        if (S.Exists && other != Id && !S.FlaggedDuplicates.Contains(other))
        {
            await RaiseAsync(DuplicateSuspected.Of(clock.GetUtcNow(), actor.UserId, other, match));
        }
    }

    public async Task FlagDuplicates(IReadOnlyList<DuplicateFlag> flags, Actor actor)
    {
        var now = clock.GetUtcNow();
        var events = flags.Where(f => f.Other != Id).DistinctBy(f => f.Other).Where(f => !S.FlaggedDuplicates.Contains(f.Other))
            .Select(f => (CustomerEvent)DuplicateSuspected.Of(now, actor.UserId, f.Other, f.Match)).ToList();
        if (S.Exists && events.Count > 0)
        {
            await RaiseAsync(events);
        }

        LetGoWhenQuiet();
    }

    /// <summary>How long a customer woken by an import's flags stays after the last of them.</summary>
    private static readonly TimeSpan QuietBeforeLettingGo = TimeSpan.FromSeconds(2);

    private IGrainTimer? _letGo;

    /// <summary>
    /// Lets the customer go once no flag came for a moment. Not at once: the calls of the next batches, queued behind the
    /// first, were forwarded to a new activation each time one was let go, and Orleans refused those forwarded twice.
    /// </summary>
    private void LetGoWhenQuiet()
    {
        if (_letGo is null)
        {
            _letGo = this.RegisterGrainTimer(_ =>
            {
                DeactivateOnIdle();
                return Task.CompletedTask;
            }, new GrainTimerCreationOptions(QuietBeforeLettingGo, Timeout.InfiniteTimeSpan) { KeepAlive = false });
        }
        else
        {
            _letGo.Change(QuietBeforeLettingGo, Timeout.InfiniteTimeSpan);
        }
    }

    public async Task<RecycleOutcome> Recycle(string expectedOwner)
    {
        if (!S.Exists || S.OwnerId != expectedOwner)
        {
            return new RecycleOutcome(RecycleStatus.NotOwned);
        }

        // Decide here, on our own facts and the pool's current rules: the rep's deadline may be stale.
        var now = clock.GetUtcNow();
        var rules = (await PoolAsync())?.Rules;
        if (rules is null || RecycleRules.DeadlineOf(CustomerMappings.Facts(S), rules) is not { } deadline || deadline.At > now)
        {
            return new RecycleOutcome(RecycleStatus.NotDue, CustomerMappings.Facts(S));
        }

        var destination = await RecycleDestinationAsync(rules);
        await RaiseAsync(new Recycled(now, expectedOwner, deadline.Rule, deadline.Days, deadline.At, deadline.Reason,
            LockUntil(rules, now), CoolDownUntil(rules, now), destination?.Id, destination?.OrgUnitId));
        return new RecycleOutcome(RecycleStatus.Recycled);
    }

    /// <summary>The other pool the rules send a recycled customer to; null for its own (or when that pool is gone).</summary>
    private async Task<PoolInfo?> RecycleDestinationAsync(PoolRuleSet rules)
    {
        var poolId = RecycleRules.DestinationOf(CustomerMappings.Facts(S), rules);
        return poolId is null || poolId == S.PoolId ? null : await pools.InfoAsync(poolId);
    }

    public async Task<Result<CustomerView>> MoveToPool(string poolId, string? reason, Actor actor)
    {
        if (!S.Exists)
        {
            return NotFound();
        }

        if (!actor.IsManagerOrAdmin)
        {
            return CrmError.Forbidden("Only managers and admins move customers between pools.");
        }

        if (await ReachAsync(actor) is { } unreachable)
        {
            return unreachable;
        }

        if (S.PoolId == poolId)
        {
            return Dto();
        }

        var pool = await pools.InfoAsync(poolId);
        if (pool is null || !await access.MayUsePoolAsync(actor, pool.Id, pool.OrgUnitId))
        {
            return CrmError.Invalid("toPoolId", $"Pool '{poolId}' does not exist or is outside your unit.");
        }

        await RaiseAsync(new MovedToPool(clock.GetUtcNow(), actor.UserId, S.PoolId, pool.Id, pool.OrgUnitId, TextInput.TrimOrNull(reason)));
        return Dto();
    }

    public async Task<Result<HistoryEntry>> AddNote(NoteRecord note, Actor actor)
    {
        if (await OwnerOrManagerAsync(actor, "Only the rep who owns this customer may write notes on it.") is { } refused)
        {
            return refused;
        }

        if (S.RecentNoteIds.FirstOrDefault(n => n.NoteId == note.NoteId) is { } done)
        {
            // A retry of a note already written: answered as it was, not written twice.
            return CustomerMappings.ToEntry(done.Seq, new NoteWritten(done.At, actor.UserId, note.Text, NoteEntryData.From(note)));
        }

        var written = new NoteWritten(clock.GetUtcNow(), actor.UserId, note.Text, NoteEntryData.From(note));
        await RaiseAsync(written);
        return CustomerMappings.ToEntry(S.Version, written);
    }

    public async Task<Result<CustomerView>> MergeFrom(Guid duplicateId, string? reason, Actor actor)
    {
        if (!S.Exists)
        {
            return NotFound();
        }

        if (!actor.IsManagerOrAdmin)
        {
            return CrmError.Forbidden("Only managers and admins merge customers.");
        }

        if (await ReachAsync(actor) is { } unreachable)
        {
            return unreachable;
        }

        if (duplicateId == Id)
        {
            return CrmError.Invalid("duplicateId", "A customer cannot be merged into itself.");
        }

        if (S.MergedFrom.Contains(duplicateId))
        {
            return Dto();
        }

        var source = await GrainFactory.GetGrain<ICustomerGrain>(duplicateId).PrepareMerge(Id, actor);
        if (source.Error is { } refusedByOther)
        {
            return refusedByOther;
        }

        // The merge is decided here, in this commit; the other customer turning into an alias follows from the outbox.
        await RaiseAsync([CustomerMerge.Decide(S, duplicateId, source.Value!, reason, actor, clock.GetUtcNow())],
            [new MergeAway(duplicateId, Id, reason, actor.UserId)]);
        return Dto();
    }

    public async Task<Result<MergeSource>> PrepareMerge(Guid survivor, Actor actor)
    {
        if (S.MergedInto is { } into && into != survivor)
        {
            return CrmError.Conflict(ErrorCodes.Merged, $"Customer '{Id}' was already merged into '{into}'.", new() { ["id"] = Id.ToString(), ["mergedInto"] = into.ToString() });
        }

        // The manager must reach the duplicate too: a merge may not pull in a customer of another unit.
        if (S.MergedInto is null && await ExistingAndReachableAsync(actor) is { } refused)
        {
            return refused;
        }

        // A merge carries over the profile, the keys and the history, not deals (their contracts and payments): they would
        // be left on an alias nobody lists. The customer with deals is the one to keep.
        if (S.MergedInto is null && S.Deals.Count > 0)
        {
            return CrmError.Conflict(ErrorCodes.HasDeals,
                $"Customer '{Id}' has {S.Deals.Count} deal(s), which a merge would leave behind: merge the other way round, keeping '{Id}' "
                + $"(POST /api/customers/{Id}/merge with duplicateId '{survivor}'). Nothing was merged.",
                new() { ["id"] = Id.ToString(), ["survivorId"] = survivor.ToString() });
        }

        return new MergeSource(Dto(), [.. S.MergedFrom], [.. S.DedupKeys], S.MergedInto is null ? S.OwnerId : S.OwnerBeforeMerge);
    }

    public async Task<CrmError?> BecomeAlias(Guid survivor, string? reason, string? actorId)
    {
        if (S.MergedInto is { } into)
        {
            return into == survivor ? null : CrmError.Conflict(ErrorCodes.Merged, $"Customer '{Id}' was already merged into '{into}'.",
                new() { ["id"] = Id.ToString(), ["mergedInto"] = into.ToString() });
        }

        if (!S.Exists)
        {
            return NotFound();
        }

        await RaiseAsync(new MergedAway(clock.GetUtcNow(), actorId, survivor, S.OwnerId, reason));
        return null;
    }

    public async Task<bool> Reproject()
    {
        if (S.Version == 0)
        {
            return false;
        }

        // Rewrites the read-model row in a commit of no events, then hands the indexes what they should hold, directly.
        await CommitAsync([], S, []);
        if (S.Exists && S.OwnerId is { } owner)
        {
            await delivery.RunAsync(new TrackOwner(owner, Id, S.PoolId, CustomerMappings.Facts(S), Adopt: true));
        }

        if (S.DedupKeys.Count > 0)
        {
            await delivery.RunAsync(S.Exists ? IndexDedup.Of(Id, S) : new UnindexDedup(Id, S.DedupKeys));
        }

        return S.Exists;
    }

    /// <summary>
    /// Takes the customer into <paramref name="repId"/>'s private pool: the policy's checks, then the rep grain's limits
    /// (it reserves the place and counts the claim), then the commit. If the commit fails both are given back.
    /// </summary>
    private async Task<Result<CustomerView>> TakeAsync(TakeKind kind, string repId, Actor actor, PoolAccess? pool, CustomerEvent taken,
        IEnumerable<OutboxEffect>? also = null, OwnershipLimits? limits = null)
    {
        var poolId = taken is Created c ? c.PoolId : S.PoolId;
        var regionUnitId = taken is Created r ? r.RegionUnitId : S.RegionUnitId;
        if (await OwnershipPolicy.CheckAsync(access, tree, kind, Id, S, poolId, regionUnitId, repId, actor, taken.At, pool) is { } refused)
        {
            return refused;
        }

        // The customer's open deals come along in the same commit: the new owner works them (Deals/).
        var events = new List<CustomerEvent> { taken };
        events.AddRange(await OpenDealsFollowAsync(repId, taken));
        var version = S.Version + 1;
        var rep = GrainFactory.GetGrain<IRepGrain>(repId);
        if (await rep.TryTake(Id, poolId, limits ?? OwnershipLimits.Of(pool?.Rules, repId), OwnershipPolicy.CountsAsClaim(kind), version) is { } full)
        {
            return full;
        }

        try
        {
            await RaiseAsync(events, also);
        }
        catch
        {
            await rep.GiveBack(Id, poolId, OwnershipPolicy.CountsAsClaim(kind), version);
            throw;
        }

        return Dto();
    }

    private Task RaiseAsync(CustomerEvent e) => RaiseAsync([e]);

    /// <summary>Applies the events to a copy of the snapshot, commits, and only then makes the copy this grain's state.</summary>
    private async Task RaiseAsync(IReadOnlyList<CustomerEvent> events, IEnumerable<OutboxEffect>? also = null)
    {
        var next = copier.Copy(S);
        next.Apply(events, clock.GetUtcNow());
        var effects = CustomerEffects.Of(Id, S, next, events);
        effects.AddRange(also ?? []);
        await CommitAsync(events, next, effects);
        outbox.CrashHereIfTestAsks(events.Select(e => e.Kind));
        await outbox.DeliverAsync(Id, S.Version, effects);
    }

    private async Task CommitAsync(IReadOnlyList<CustomerEvent> events, CustomerState next, List<OutboxEffect> effects)
    {
        var rows = events.Select((e, i) => new EventRow(S.Version + i + 1, UnixTime.ToMs(e.At), e.Kind, e.ActorId, EventJson.WriteUtf8(e))).ToList();
        var statements = new List<CommitStatement>();
        foreach (var projection in projections)
        {
            await projection.PrepareAsync(events);
            projection.Project(Id, next, events, S.Version + 1, statements);
        }

        var commit = new CustomerCommit(Id.ToString(), S.Version, next.Version, log.Serialize(next), UnixTime.ToMs(next.UpdatedAt), rows,
            effects.Count == 0 ? null : outbox.Serialize(effects), next.Exists ? CustomerMappings.ToRow(Id, next) : null,
            events.OfType<NoteWritten>().ToList(), next.OrgUnitId, statements,
            events.Count == 0 ? FieldWorkRowsOf(Id, next).ToList() : events.SelectMany(e => e.ReadModel(Id, next)).ToList(),
            // A commit without events is a re-projection, which exists to heal the rows: it rewrites them whole.
            S.Exists && events.Count > 0 ? CustomerMappings.ToRow(Id, S) : null);
        try
        {
            await log.AppendAsync(commit);
        }
        catch (VersionConflictException)
        {
            // Another activation wrote first: this one's memory is stale. Start afresh from the stored snapshot.
            DeactivateOnIdle();
            throw;
        }

        S = next;
    }

    /// <summary>
    /// The gate of the commands only the owning rep or a manager may give. 403 only for a rep that sees the customer (an
    /// unowned lead of a pool it is a member of); one it does not see answers 404 (<see cref="ExistingAndSeenAsync"/>).
    /// </summary>
    private async Task<CrmError?> OwnerOrManagerAsync(Actor actor, string forbidden) =>
        await ExistingAndSeenAsync(actor) ?? (S.OwnerId != actor.UserId && !actor.IsManagerOrAdmin ? CrmError.Forbidden(forbidden) : null);

    private async Task<CrmError?> ExistingAndReachableAsync(Actor actor, PoolAccess? pool = null) =>
        !S.Exists ? NotFound() : await ReachAsync(actor, pool);

    /// <summary>
    /// The gate of a user's commands on this customer other than a claim: it exists and the caller sees it, as
    /// <c>GET /api/customers/{id}</c> asks (<see cref="CustomerAccess.SeesAsync"/>); otherwise the 404 of an unknown id.
    /// The org-tree reach lets a rep through to a colleague's customer of a pool it is a member of (a claim there answers
    /// 409 already-owned, docs/permissions.md); for every other command a customer the rep does not see is one it cannot
    /// tell from a missing one. Costs nothing more for an owner, a manager or an admin; a rep on another's customer is
    /// answered from the snapshot, one on an unowned customer from the silo's cached pool.
    /// </summary>
    private async Task<CrmError?> ExistingAndSeenAsync(Actor actor, PoolAccess? pool = null) =>
        await ExistingAndReachableAsync(actor, pool)
        ?? (actor is { IsScoped: true, Role: UserRole.Rep } && S.OwnerId != actor.UserId && !await access.SeesAsync(actor, S.OrgUnitId, S.PoolId, S.OwnerId, pool)
            ? NotFound()
            : null);

    /// <summary>The org-tree check of a user's request on this customer (Org/CustomerAccess): 404 outside the caller's reach.</summary>
    private Task<CrmError?> ReachAsync(Actor actor, PoolAccess? pool = null) => access.ReachAsync(actor, Id, S.OrgUnitId, S.PoolId, S.OwnerId, pool);

    /// <summary>The customer's pool as the checks need it (unit, members, rules): one read, passed to every check of a command.</summary>
    private Task<PoolAccess?> PoolAsync() => pools.AccessAsync(S.PoolId);

    /// <summary>The region's pool, when the requested pool is not already one of the region's unit or below it.</summary>
    private async Task<PoolInfo?> RegionalPoolAsync(RegionDefinition region, PoolInfo requested)
    {
        if (OrgPaths.Reaches(await tree.PathOf(region.OrgUnitId), await tree.PathOf(requested.OrgUnitId)))
        {
            return null;
        }

        return await pools.InfoAsync(region.PoolId);
    }

    /// <summary>The rep who let the customer go may not claim it back for a while.</summary>
    private static DateTimeOffset? LockUntil(PoolRuleSet? rules, DateTimeOffset now) =>
        rules?.ReclaimProtectionDays is > 0 and var days ? now.AddDays(days) : null;

    /// <summary>Nobody may claim a customer just let go during the pool's cool-down.</summary>
    private static DateTimeOffset? CoolDownUntil(PoolRuleSet? rules, DateTimeOffset now) =>
        rules?.CoolDownHours is > 0 and var hours ? now.AddHours(hours) : null;

    private CustomerView Dto() => CustomerMappings.ToView(Id, S);

    private CrmError NotFound() => S.MergedInto is { } into
        ? CrmError.Conflict(ErrorCodes.Merged, $"Customer '{Id}' was merged into '{into}'; use that customer.", new() { ["id"] = Id.ToString(), ["mergedInto"] = into.ToString() })
        : CrmError.NotFound("Customer", Id.ToString());

}
