using Crm.Client;
using Crm.Grains.Assignment;
using Crm.Grains.Common;
using Crm.Grains.Notes;
using Crm.Grains.Org;
using Crm.Grains.Dedup;
using Crm.Grains.Pools;
using Crm.Grains.Projections;
using Crm.Grains.Push;
using Crm.Grains.Reps;
using Microsoft.Extensions.Options;

namespace Crm.Grains.Customers;

public sealed class CustomerGrain(
    [PersistentState("customer", "crm")] IPersistentState<CustomerState> state,
    ReadModelWriter readModel,
    IOptions<DedupOptions> dedup,
    NoteProjection notes,
    TimeProvider clock) : Grain, ICustomerGrain
{
    private CustomerState S => state.State;

    private Guid Id => this.GetPrimaryKey();

    // Heal after a crash between our write and the index updates that follow it: the rep's private
    // pool and the read model are re-synced from this grain's state, idempotently.
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Exists)
        {
            await SyncIndexesAsync();
        }
    }

    public async Task<bool> Reproject()
    {
        if (S.MergedInto is not null)
        {
            await DedupGate.RemoveAsync(GrainFactory, dedup.Value.Shards, Id, S.DedupKeys);
            await readModel.ForgetCustomerAsync(Id.ToString());
            return false;
        }

        if (!S.Exists)
        {
            await readModel.ForgetPlaceholderAsync(Id.ToString());
            return false;
        }

        await SyncIndexesAsync();
        return true;
    }

    private async Task SyncIndexesAsync()
    {
        await TrackAsync();
        await readModel.UpsertCustomerAsync(ToRow());
        if (S.DedupKeys.Count > 0)
        {
            await DedupGate.SyncAsync(GrainFactory, dedup.Value.Shards, CustomerCard.From(ToDto()), S.DedupKeys);
        }

        await notes.ProjectNotesAsync(Id, S.OrgUnitId, S.Timeline);
    }

    public async Task<Result<CustomerDto>> Create(CreateCustomerRequest request, Actor actor, IReadOnlyList<string>? dedupKeys = null)
    {
        if (S.Exists)
        {
            return CrmError.Conflict("already-exists", $"Customer '{Id}' already exists.", new() { ["id"] = Id.ToString() });
        }

        var pool = await GrainFactory.GetGrain<IPoolGrain>(request.PoolId!).Get();
        if (pool is null || !await CustomerAccess.MayUsePoolAsync(GrainFactory, actor, pool.Id, pool.OrgUnitId))
        {
            return CrmError.Invalid("poolId", $"Pool '{request.PoolId}' does not exist.");
        }

        // An address inside a region sends the lead to that region's pool, unless it is already in one under it.
        var region = await GrainFactory.GetGrain<IOrgTreeGrain>(0).RegionFor(request.Address);
        if (region is not null && await RegionalPoolAsync(region, pool) is { } regional)
        {
            pool = regional;
        }

        var now = clock.GetUtcNow();
        if (request.OwnerId is { } ownerId)
        {
            if (actor.IsScoped && await OwnerRefusalAsync(actor, ownerId, pool.Id, region?.OrgUnitId) is { } notAllowed)
            {
                return notAllowed;
            }

            var refused = await Rep(ownerId).TryTake(Id, pool.Id, Limits(pool.Rules, ownerId), countsAsClaim: false);
            if (refused is not null)
            {
                return refused;
            }
        }

        state.State = new CustomerState
        {
            Exists = true,
            Profile = new CustomerProfile(request.Name.Trim(), Clean(request.Company), Clean(request.Phone),
                Clean(request.Email), Clean(request.TaxId), Clean(request.Address), Clean(request.Source)),
            Stage = Stage.Lead,
            PoolId = pool.Id,
            OrgUnitId = pool.OrgUnitId,
            RegionUnitId = region?.OrgUnitId,
            OwnerId = request.OwnerId,
            OwnedSince = request.OwnerId is null ? null : now,
            CreatedAt = now,
            DedupKeys = dedupKeys?.ToList() ?? [],
            Traits = new LeadTraits(Clean(request.Industry), Clean(request.Region), Clean(request.Language)),
        };
        Record(now, TimelineKinds.Created, actor, null, null, new()
        {
            ["poolId"] = pool.Id,
            ["ownerId"] = request.OwnerId,
            ["source"] = S.Profile.Source,
        });

        // The placeholder is queued before the state write on the same group-commit writer (the default grain
        // storage), so it commits in the same transaction or an earlier one, without a round trip of its own.
        var registered = readModel.RegisterCustomerAsync(Id.ToString(), pool.Id, UnixTime.ToMs(now));
        await SaveAsync(now);
        await registered;
        await TrackAsync();
        if (request.OwnerId is { } owner)
        {
            Publish(new CustomerAssigned(Id, now, owner, actor.UserId, "created with an owner"), owner);
        }
        else
        {
            LeadEnteredPool("created");
        }

        return ToDto();
    }

    public Task<CustomerDto?> Get() => Task.FromResult(S.Exists ? ToDto() : null);

    public Task<IReadOnlyList<TimelineEntryDto>?> GetTimeline() =>
        Task.FromResult<IReadOnlyList<TimelineEntryDto>?>(S.Exists ? S.Timeline.Select(ToDto).ToList() : null);

    public Task<string?> GetRegionUnitId() => Task.FromResult(S.RegionUnitId);

    public async Task<Result<CustomerDto>> Claim(Actor actor)
    {
        if (!S.Exists)
        {
            return NotFound();
        }

        if (await ReachAsync(actor) is { } unreachable)
        {
            return unreachable;
        }

        if (actor.Role != Role.Rep)
        {
            return CrmError.Forbidden("Only reps claim customers; managers assign them.");
        }

        if (S.OwnerId == actor.UserId)
        {
            return ToDto();
        }

        if (S.OwnerId is { } owner)
        {
            return CrmError.Conflict("already-owned", "Another rep already owns this customer.",
                new() { ["customerId"] = Id.ToString(), ["ownerId"] = owner });
        }

        var now = clock.GetUtcNow();
        if (S.ReclaimLocks.TryGetValue(actor.UserId, out var lockedUntil) && lockedUntil > now)
        {
            return CrmError.Conflict("reclaim-protected",
                $"You lost or released this customer; you may claim it again from {lockedUntil:u}.",
                new() { ["customerId"] = Id.ToString(), ["until"] = lockedUntil.ToString("O") });
        }

        if (S.CoolDownUntil is { } coolDownUntil && coolDownUntil > now)
        {
            return CrmError.Conflict("cool-down",
                $"This customer was just let go and is held in a cool-down; anyone may claim it from {coolDownUntil:u}.",
                new() { ["customerId"] = Id.ToString(), ["until"] = coolDownUntil.ToString("O") });
        }

        if (actor.IsScoped && await CustomerAccess.MayOwnAsync(GrainFactory, Id, actor.UserId, actor.OrgUnitPath, S.PoolId, S.RegionUnitId) is { } notAllowed)
        {
            return notAllowed;
        }

        var pool = await GrainFactory.GetGrain<IPoolGrain>(S.PoolId).Get();
        var refused = await Rep(actor.UserId).TryTake(Id, S.PoolId, Limits(pool?.Rules, actor.UserId), countsAsClaim: true);
        if (refused is not null)
        {
            return refused;
        }

        IReadOnlyList<CollusionCaseDto> suspicions = pool is null ? [] : CollusionRules.Detect(Id, OwnershipHistory(), actor.UserId, now, pool.Rules);
        S.OwnerId = actor.UserId;
        S.OwnedSince = now;
        Record(now, TimelineKinds.Claimed, actor, null, null, new() { ["repId"] = actor.UserId });
        await SaveOrUndoTakeAsync(now, actor.UserId);
        await TrackAsync();
        Publish(new CustomerClaimed(Id, now, actor.UserId), actor.UserId);
        foreach (var suspicion in suspicions)
        {
            await GrainFactory.GetGrain<IPoolGrain>(S.PoolId).ReportCollusion(suspicion);
        }

        return ToDto();
    }

    public async Task<Result<CustomerDto>> Release(string? reason, Actor actor)
    {
        if (!S.Exists)
        {
            return NotFound();
        }

        if (await ReachAsync(actor) is { } unreachable)
        {
            return unreachable;
        }

        if (S.OwnerId is not { } owner)
        {
            return CrmError.Conflict("not-owned", "The customer is already in its public pool.",
                new() { ["customerId"] = Id.ToString() });
        }

        if (owner != actor.UserId && !actor.IsManagerOrAdmin)
        {
            return CrmError.Forbidden("A rep may only release its own customers.");
        }

        var now = clock.GetUtcNow();
        var pool = await GrainFactory.GetGrain<IPoolGrain>(S.PoolId).Get();
        LockOut(owner, pool?.Rules, now);
        S.OwnerId = null;
        S.OwnedSince = null;
        Record(now, TimelineKinds.Released, actor, reason, null, new() { ["repId"] = owner });
        await SaveAsync(now);
        await Rep(owner).Drop(Id);
        Publish(new CustomerReleased(Id, now, owner, reason), owner);
        LeadEnteredPool("released");
        return ToDto();
    }

    public async Task<Result<CustomerDto>> Assign(string repId, string? reason, Actor actor)
    {
        if (!S.Exists)
        {
            return NotFound();
        }

        if (await ReachAsync(actor) is { } unreachable)
        {
            return unreachable;
        }

        if (!actor.IsManagerOrAdmin)
        {
            return CrmError.Forbidden("Only managers and admins assign customers.");
        }

        if (actor.IsScoped && await OwnerRefusalAsync(actor, repId, S.PoolId, S.RegionUnitId) is { } notAllowed)
        {
            return notAllowed;
        }

        if (S.OwnerId == repId)
        {
            return ToDto();
        }

        var pool = await GrainFactory.GetGrain<IPoolGrain>(S.PoolId).Get();
        var refused = await Rep(repId).TryTake(Id, S.PoolId, Limits(pool?.Rules, repId), countsAsClaim: false);
        if (refused is not null)
        {
            return refused;
        }

        var now = clock.GetUtcNow();
        var previous = S.OwnerId;
        S.OwnerId = repId;
        S.OwnedSince = now;
        Record(now, TimelineKinds.Assigned, actor, reason, null, new() { ["repId"] = repId, ["previousOwnerId"] = previous });
        await SaveOrUndoTakeAsync(now, repId);
        await TrackAsync();
        if (previous is not null)
        {
            await Rep(previous).Drop(Id);
            Publish(new CustomerReleased(Id, now, previous, reason ?? "reassigned by a manager"), previous);
        }

        Publish(new CustomerAssigned(Id, now, repId, actor.UserId, reason), repId);
        return ToDto();
    }

    public Task<AssignmentLead?> GetAssignmentLead()
    {
        if (!S.Exists)
        {
            return Task.FromResult<AssignmentLead?>(null);
        }

        var now = clock.GetUtcNow();
        var snapshot = new Crm.Sdk.CustomerSnapshot
        {
            Id = Id.ToString(),
            Name = S.Profile.Name,
            Company = S.Profile.Company,
            Phone = S.Profile.Phone,
            Email = S.Profile.Email,
            TaxId = S.Profile.TaxId,
            Address = S.Profile.Address,
            Source = S.Profile.Source,
            PoolId = S.PoolId,
            OwnerId = S.OwnerId,
            Industry = S.Traits.Industry,
            Region = S.Traits.Region,
            Language = S.Traits.Language,
            CreatedAt = S.CreatedAt,
        };
        var locked = S.ReclaimLocks.Where(l => l.Value > now).Select(l => l.Key).Order(StringComparer.Ordinal).ToList();
        return Task.FromResult<AssignmentLead?>(new AssignmentLead(snapshot, S.PoolId, S.OwnerId, S.Stage, locked, S.RegionUnitId));
    }

    public async Task<Result<CustomerDto>> AssignByRule(string repId, AssignmentNote note)
    {
        if (!S.Exists)
        {
            return NotFound();
        }

        if (S.OwnerId is { } owner)
        {
            return owner == repId
                ? ToDto()
                : CrmError.Conflict("already-owned", "Another rep already owns this customer.",
                    new() { ["customerId"] = Id.ToString(), ["ownerId"] = owner });
        }

        var now = clock.GetUtcNow();
        if (S.ReclaimLocks.TryGetValue(repId, out var lockedUntil) && lockedUntil > now)
        {
            return CrmError.Conflict("reclaim-protected", $"Rep '{repId}' lost or released this customer; it may have it again from {lockedUntil:u}.",
                new() { ["customerId"] = Id.ToString(), ["repId"] = repId, ["until"] = lockedUntil.ToString("O") });
        }

        // Rules hand leads only to reps who could own them by hand: active, members of the pool, inside its region.
        var member = await GrainFactory.GetGrain<IOrgTreeGrain>(0).Member(repId);
        if (member is not { Role: Role.Rep, Active: true })
        {
            return CrmError.Conflict("rep-unavailable", $"'{repId}' is not an active rep.", new() { ["repId"] = repId });
        }

        if (await CustomerAccess.MayOwnAsync(GrainFactory, Id, repId, member.OrgUnitPath, S.PoolId, S.RegionUnitId) is { } notAllowed)
        {
            return notAllowed;
        }

        var pool = await GrainFactory.GetGrain<IPoolGrain>(S.PoolId).Get();
        var refused = await Rep(repId).TryTake(Id, S.PoolId, Limits(pool?.Rules, repId), countsAsClaim: false);
        if (refused is not null)
        {
            return refused;
        }

        S.OwnerId = repId;
        S.OwnedSince = now;
        Record(now, TimelineKinds.Assigned, Actor.System with { UserId = note.ActorId }, note.Reason, null, new()
        {
            ["repId"] = repId,
            ["strategy"] = note.Strategy,
            ["trigger"] = note.Trigger,
            ["fellBack"] = note.FellBack ? "true" : "false",
        });
        await SaveOrUndoTakeAsync(now, repId);
        await TrackAsync();
        Publish(new CustomerAssigned(Id, now, repId, note.ActorId, note.Reason), repId);
        return ToDto();
    }

    /// <summary>
    /// Tells the pool's assignment that a lead is waiting. One-way, so the pool may call back into this grain; a
    /// message lost in a crash is caught by the pool's periodic sweep of unowned leads.
    /// </summary>
    private void LeadEnteredPool(string trigger) =>
        _ = GrainFactory.GetGrain<IAssignmentGrain>(S.PoolId).LeadEntered(Id, trigger);

    public async Task<Result<TimelineEntryDto>> AddFollowUp(FollowUpRequest request, Actor actor)
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

        if (S.LastFollowUpAt is null || at > S.LastFollowUpAt)
        {
            S.LastFollowUpAt = at;
        }

        var entry = Record(at, TimelineKinds.FollowUp, actor, null, Clean(request.Text), new()
        {
            ["type"] = request.Type!.Value.ToString().ToLowerInvariant(),
            ["outcome"] = request.Outcome,
            ["location"] = Clean(request.Location),
        });
        await SaveAsync(now);
        await TrackAsync();
        Publish(new FollowUpAdded(Id, at, actor.UserId, request.Type.Value, request.Outcome!), S.OwnerId);
        return ToDto(entry);
    }

    public async Task<Result<CustomerDto>> ChangeStage(Stage stage, string? reason, Actor actor)
    {
        if (await OwnerOrManagerAsync(actor, "Only the rep who owns this customer, or a manager, may change its stage.") is { } refused)
        {
            return refused;
        }

        var from = S.Stage;
        if (!StageRules.CanMove(from, stage))
        {
            return CrmError.Invalid("stage",
                $"A customer in stage '{Lower(from)}' cannot move to '{Lower(stage)}'; allowed: {string.Join(", ", StageRules.NextStages(from).Select(Lower))}.");
        }

        if (StageRules.NeedsReason(stage) && string.IsNullOrWhiteSpace(reason))
        {
            return CrmError.Invalid("reason", $"Say why the customer is {Lower(stage)}.");
        }

        var now = clock.GetUtcNow();
        S.Stage = stage;
        if (stage == Stage.Customer)
        {
            S.LastDealAt = now;
        }

        Record(now, TimelineKinds.StageChanged, actor, Clean(reason), null, new() { ["from"] = Lower(from), ["to"] = Lower(stage) });
        await SaveAsync(now);
        await TrackAsync();
        Publish(new StageChanged(Id, now, from, stage, Clean(reason), actor.UserId), S.OwnerId);
        return ToDto();
    }

    public async Task FlagDuplicate(Guid other, string matchedKey, string strategy, Actor actor)
    {
        if (!S.Exists || other == Id || S.FlaggedDuplicates.Contains(other))
        {
            return;
        }

        var now = clock.GetUtcNow();
        S.FlaggedDuplicates.Add(other);
        Record(now, TimelineKinds.DuplicateFlagged, actor, null, null, new()
        {
            ["duplicateOf"] = other.ToString(),
            ["matchedKey"] = matchedKey,
            ["strategy"] = strategy,
        });
        await SaveAsync(now);
        Publish(new DuplicateFlagged(Id, now, [other], matchedKey), S.OwnerId);
    }

    public async Task<RecycleOutcome> Recycle(string expectedOwner)
    {
        if (!S.Exists || S.OwnerId != expectedOwner)
        {
            return new RecycleOutcome(RecycleStatus.NotOwned);
        }

        // Decide here, on our own facts and the pool's current rules: the rep's deadline may be stale.
        var now = clock.GetUtcNow();
        var rules = (await GrainFactory.GetGrain<IPoolGrain>(S.PoolId).Get())?.Rules;
        var deadline = rules is null ? null : RecycleRules.DeadlineOf(Facts(), rules);
        if (deadline is null || deadline.At > now)
        {
            return new RecycleOutcome(RecycleStatus.NotDue, Facts());
        }

        LockOut(expectedOwner, rules, now);
        S.OwnerId = null;
        S.OwnedSince = null;
        Record(now, TimelineKinds.Recycled, Actor.System, deadline.Reason, null, new()
        {
            ["repId"] = expectedOwner,
            ["rule"] = deadline.Rule,
            ["days"] = deadline.Days.ToString(),
            ["deadline"] = deadline.At.ToString("O"),
        });
        await SaveAsync(now);
        await Rep(expectedOwner).Drop(Id);
        Publish(new CustomerRecycled(Id, now, expectedOwner, deadline.Reason), expectedOwner);
        LeadEnteredPool("recycled");
        return new RecycleOutcome(RecycleStatus.Recycled);
    }

    public async Task<Result<CustomerDto>> MoveToPool(string poolId, string? reason, Actor actor)
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
            return ToDto();
        }

        var pool = await GrainFactory.GetGrain<IPoolGrain>(poolId).Get();
        if (pool is null || !await CustomerAccess.MayUsePoolAsync(GrainFactory, actor, pool.Id, pool.OrgUnitId))
        {
            return CrmError.Invalid("toPoolId", $"Pool '{poolId}' does not exist or is outside your unit.");
        }

        var now = clock.GetUtcNow();
        var from = S.PoolId;
        S.PoolId = pool.Id;
        S.OrgUnitId = pool.OrgUnitId;
        Record(now, TimelineKinds.Moved, actor, Clean(reason), null, new() { ["fromPoolId"] = from, ["toPoolId"] = pool.Id });
        await SaveAsync(now);
        await TrackAsync();
        if (S.OwnerId is null)
        {
            LeadEnteredPool("moved");
        }

        return ToDto();
    }

    /// <summary>Tells the owner's rep grain the facts our recycle deadline follows. Idempotent; a no-op when unowned.</summary>
    private async Task TrackAsync()
    {
        if (S.OwnerId is { } owner)
        {
            await Rep(owner).Track(Id, S.PoolId, Facts());
        }
    }

    private RecycleFacts Facts() => new(S.OwnedSince ?? S.CreatedAt, S.LastFollowUpAt, S.LastDealAt, S.Stage, S.Version);

    /// <summary>The rep who let the customer go may not claim it back for a while; nobody may during a cool-down.</summary>
    private void LockOut(string repId, PoolRules? rules, DateTimeOffset now)
    {
        if (rules?.ReclaimProtectionDays is > 0 and var days)
        {
            S.ReclaimLocks[repId] = now.AddDays(days);
        }

        foreach (var expired in S.ReclaimLocks.Where(l => l.Value <= now).Select(l => l.Key).ToList())
        {
            S.ReclaimLocks.Remove(expired);
        }

        S.CoolDownUntil = rules?.CoolDownHours is > 0 and var hours ? now.AddHours(hours) : null;
    }

    /// <summary>Who took and let go of this customer, from the timeline: the evidence collusion checks read.</summary>
    private List<CollusionEvidence> OwnershipHistory() => S.Timeline
        .Where(e => e.Kind is TimelineKinds.Released or TimelineKinds.Recycled or TimelineKinds.Claimed or TimelineKinds.Assigned
            && e.Data.GetValueOrDefault("repId") is not null)
        .Select(e => new CollusionEvidence(e.Kind, e.Data["repId"]!, e.At))
        .ToList();

    public async Task<Result<TimelineEntryDto>> AddNote(NoteRecord note, Actor actor)
    {
        if (await OwnerOrManagerAsync(actor, "Only the rep who owns this customer may write notes on it.") is { } refused)
        {
            return refused;
        }

        if (S.Timeline.FirstOrDefault(e => e.Kind == TimelineKinds.Note && e.Data.GetValueOrDefault(NoteEntryData.NoteId) == note.NoteId) is { } done)
        {
            return ToDto(done); // a retry of a note already written
        }

        var now = clock.GetUtcNow();
        var entry = Record(now, TimelineKinds.Note, actor, null, note.Text, NoteEntryData.From(note));
        await SaveAsync(now);
        await notes.ProjectNotesAsync(Id, S.OrgUnitId, [entry]);
        Publish(new NoteAdded(Id, now, note.NoteId, note.TemplateId, note.Text), S.OwnerId);
        return ToDto(entry);
    }

    public async Task<Result<CustomerDto>> MergeFrom(Guid duplicateId, string? reason, Actor actor)
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
            return ToDto();
        }

        var handed = await GrainFactory.GetGrain<ICustomerGrain>(duplicateId).BecomeAlias(Id, reason, actor);
        if (handed.Error is { } refused)
        {
            return refused;
        }

        var other = handed.Value!;
        var now = clock.GetUtcNow();
        // Both histories stay: the other's entries follow ours, marked with where they came from.
        foreach (var entry in other.Timeline)
        {
            S.Timeline.Add(entry with { Seq = S.Timeline.Count + 1, Data = new(entry.Data) { ["mergedFrom"] = duplicateId.ToString() } });
        }

        var p = S.Profile;
        var o = other.Customer;
        S.Profile = p with
        {
            Company = p.Company ?? o.Company, Phone = p.Phone ?? o.Phone, Email = p.Email ?? o.Email,
            TaxId = p.TaxId ?? o.TaxId, Address = p.Address ?? o.Address,
        };
        S.DedupKeys = S.DedupKeys.Union(other.DedupKeys).ToList();
        S.MergedFrom.Add(duplicateId);
        S.FlaggedDuplicates.Remove(duplicateId);
        if (o.LastFollowUpAt > S.LastFollowUpAt || S.LastFollowUpAt is null)
        {
            S.LastFollowUpAt = o.LastFollowUpAt ?? S.LastFollowUpAt;
        }

        Record(now, TimelineKinds.Merged, actor, reason, null, new() { ["mergedFrom"] = duplicateId.ToString(), ["previousOwnerId"] = o.OwnerId });
        await SaveAsync(now);
        await DedupGate.RemoveAsync(GrainFactory, dedup.Value.Shards, duplicateId, other.DedupKeys);
        if (S.DedupKeys.Count > 0)
        {
            await DedupGate.SyncAsync(GrainFactory, dedup.Value.Shards, CustomerCard.From(ToDto()), S.DedupKeys);
        }

        return ToDto();
    }

    public async Task<Result<MergeSource>> BecomeAlias(Guid survivor, string? reason, Actor actor)
    {
        if (S.MergedInto is { } into && into != survivor)
        {
            return CrmError.Conflict("merged", $"Customer '{Id}' was already merged into '{into}'.", new() { ["id"] = Id.ToString(), ["mergedInto"] = into.ToString() });
        }

        if (!S.Exists && S.MergedInto is null)
        {
            return NotFound();
        }

        // The manager must reach the duplicate too: a merge may not pull in a customer of another unit.
        if (S.MergedInto is null && await ReachAsync(actor) is { } unreachable)
        {
            return unreachable;
        }

        if (S.MergedInto is null)
        {
            var now = clock.GetUtcNow();
            var owner = S.OwnerId;
            Record(now, TimelineKinds.MergedInto, actor, reason, null, new() { ["survivorId"] = survivor.ToString(), ["ownerId"] = owner });
            S.MergedInto = survivor;
            S.Exists = false;
            S.UpdatedAt = now;
            S.Version++;
            await state.WriteStateAsync();
            await readModel.ForgetCustomerAsync(Id.ToString());
            if (owner is not null)
            {
                await Rep(owner).Drop(Id);
            }
        }

        // The owner before the merge is kept in the hand-over so the survivor's timeline can name it.
        var handed = ToDto() with { OwnerId = S.Timeline.Last(e => e.Kind == TimelineKinds.MergedInto).Data.GetValueOrDefault("ownerId") };
        return new MergeSource(handed, S.Timeline.Where(e => e.Kind != TimelineKinds.MergedInto).ToList(), S.DedupKeys);
    }

    public Task<Guid?> AliasOf() => Task.FromResult(S.MergedInto);

    /// <summary>
    /// The gate of the commands only the owning rep or a manager may give: the customer exists, the caller reaches
    /// it in the org tree, and the caller owns it or manages.
    /// </summary>
    private async Task<CrmError?> OwnerOrManagerAsync(Actor actor, string forbidden)
    {
        if (!S.Exists)
        {
            return NotFound();
        }

        if (await ReachAsync(actor) is { } unreachable)
        {
            return unreachable;
        }

        return S.OwnerId != actor.UserId && !actor.IsManagerOrAdmin ? CrmError.Forbidden(forbidden) : null;
    }

    private TimelineEntry Record(DateTimeOffset at, string kind, Actor actor, string? reason, string? text, Dictionary<string, string?> data)
    {
        var entry = new TimelineEntry(S.Timeline.Count + 1, at, kind, actor.UserId, reason, text, data);
        S.Timeline.Add(entry);
        return entry;
    }

    /// <summary>Persist, then project. The write is the commit point: the read model follows it.</summary>
    private async Task SaveAsync(DateTimeOffset now)
    {
        S.UpdatedAt = now;
        S.Version++;
        await state.WriteStateAsync();
        await readModel.UpsertCustomerAsync(ToRow());
    }

    /// <summary>Saves a change that took the customer into a rep's private pool; if the save fails the take is undone.</summary>
    private async Task SaveOrUndoTakeAsync(DateTimeOffset now, string repId)
    {
        try
        {
            await SaveAsync(now);
        }
        catch
        {
            await Rep(repId).Drop(Id);
            await state.ReadStateAsync();
            throw;
        }
    }

    private void Publish(ICrmEvent evt, string? repId)
    {
        var channels = new List<string>(2);
        if (repId is not null)
        {
            channels.Add(PushChannels.Rep(repId));
        }

        if (S.OrgUnitId is not null)
        {
            channels.Add(PushChannels.Unit(S.OrgUnitId));
        }

        EventPublisher.Publish(GrainFactory, evt, channels);
    }

    /// <summary>The org-tree check of a user's request on this customer (Org/CustomerAccess): 404 outside the caller's reach.</summary>
    private Task<CrmError?> ReachAsync(Actor actor) =>
        CustomerAccess.ReachAsync(GrainFactory, actor, Id, S.OrgUnitId, S.PoolId, S.OwnerId);

    /// <summary>Whether a rep a user names (assignment, creation with an owner) may own a customer of this pool.</summary>
    private async Task<CrmError?> OwnerRefusalAsync(Actor actor, string repId, string poolId, string? regionUnitId)
    {
        var rep = await CustomerAccess.AssigneeAsync(GrainFactory, actor, repId);
        return rep.Error ?? await CustomerAccess.MayOwnAsync(GrainFactory, Id, repId, rep.Value!.OrgUnitPath, poolId, regionUnitId);
    }

    /// <summary>The region's pool, when the requested pool is not already one of the region's unit or below it.</summary>
    private async Task<PoolDto?> RegionalPoolAsync(RegionDefinition region, PoolDto requested)
    {
        var tree = GrainFactory.GetGrain<IOrgTreeGrain>(0);
        if (OrgPaths.Reaches(await tree.PathOf(region.OrgUnitId), await tree.PathOf(requested.OrgUnitId)))
        {
            return null;
        }

        return await GrainFactory.GetGrain<IPoolGrain>(region.PoolId).Get();
    }

    private IRepGrain Rep(string repId) => GrainFactory.GetGrain<IRepGrain>(repId);

    private static OwnershipLimits Limits(PoolRules? rules, string repId) =>
        rules is null
            ? OwnershipLimits.None
            : new(rules.CapacityOverrides?.GetValueOrDefault(repId) is > 0 and var own ? own : rules.CapacityPerRep, rules.ClaimsPerRepPerDay);

    private CrmError NotFound() => S.MergedInto is { } into
        ? CrmError.Conflict("merged", $"Customer '{Id}' was merged into '{into}'; use that customer.", new() { ["id"] = Id.ToString(), ["mergedInto"] = into.ToString() })
        : CrmError.NotFound("Customer", Id.ToString());

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Lower(Stage stage) => stage.ToString().ToLowerInvariant();

    private CustomerDto ToDto() => new(Id, S.Profile.Name, S.Profile.Company, S.Profile.Phone, S.Profile.Email,
        S.Profile.TaxId, S.Profile.Address, S.Profile.Source, S.Stage, S.PoolId, S.OwnerId, S.CreatedAt, S.UpdatedAt,
        S.LastFollowUpAt, S.Version, S.Traits.Industry, S.Traits.Region, S.Traits.Language);

    private static TimelineEntryDto ToDto(TimelineEntry e) => new(e.Seq, e.At, e.Kind, e.ActorId, e.Reason, e.Text, e.Data);

    private CustomerRow ToRow() => new()
    {
        Id = Id.ToString(),
        Name = S.Profile.Name,
        Company = S.Profile.Company,
        Phone = S.Profile.Phone,
        Email = S.Profile.Email,
        TaxId = S.Profile.TaxId,
        Address = S.Profile.Address,
        Source = S.Profile.Source,
        Stage = Lower(S.Stage),
        PoolId = S.PoolId,
        OwnerId = S.OwnerId,
        OrgUnitId = S.OrgUnitId,
        CreatedMs = UnixTime.ToMs(S.CreatedAt),
        UpdatedMs = UnixTime.ToMs(S.UpdatedAt),
        LastFollowUpMs = UnixTime.ToMs(S.LastFollowUpAt),
        StatusPool = StatusPools.Of(S.Stage).ToString().ToLowerInvariant(),
        Version = S.Version,
    };
}
