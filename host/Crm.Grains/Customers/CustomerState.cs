using System.Collections.ObjectModel;
using Crm.Client;
using Crm.Grains.Contracts;
using Crm.Grains.CustomFields;
using Crm.Grains.Customers.Events;
using Crm.Grains.Deals;
using Crm.Grains.Visits;

namespace Crm.Grains.Customers;

/// <summary>
/// The snapshot of one customer: what the grain's decisions need (owner, pool, stage, locks, counters, last
/// follow-up), never its history, which is the event log. Written with every commit beside the events it adds up
/// to, so an activation reads one small row.
/// </summary>
/// <remarks>
/// Most customers have no deals, contracts, visits, merges, flags or locks, and a silo holds up to a million of them:
/// each collection stays null until its first entry (reads see a shared empty one) and is changed only through the
/// methods below, so an empty one costs no object. Default members are not written (<see cref="OmitDefaultMemberValuesAttribute"/>):
/// an empty collection is absent from the snapshot, which code from before this change reads as its empty initial
/// value, and snapshots written before it read back with their empty collections dropped (<see cref="DropEmpty"/>).
/// </remarks>
[GenerateSerializer, OmitDefaultMemberValues]
public sealed class CustomerState
{
    /// <summary>How many ownership changes are kept for the anti-collusion checks (they read the last three).</summary>
    public const int OwnershipKept = 8;

    /// <summary>How many recent note ids are kept to answer a retried note without writing it twice.</summary>
    public const int NoteIdsKept = 64;

    /// <summary>How many visits may stay open (checked in, not out); the oldest is forgotten beyond that.</summary>
    public const int OpenVisitsKept = 16;

    /// <summary>How many request ids of follow-ups a customer remembers: enough for the retries of one rolling restart.</summary>
    public const int RecentFollowUpsKept = 16;

    [Id(11)] private Dictionary<string, DateTimeOffset>? _reclaimLocks;
    [Id(50)] private List<string>? _dedupKeys;
    [Id(51)] private List<Guid>? _flaggedDuplicates;
    [Id(53)] private List<Guid>? _mergedFrom;
    [Id(60)] private List<OwnershipChange>? _ownership;
    [Id(61)] private List<RecentNote>? _recentNoteIds;
    [Id(70)] private Dictionary<string, DealRecord>? _deals;
    [Id(82)] private List<OpenVisit>? _openVisits;
    [Id(90)] private Dictionary<string, CustomValue>? _customFields;
    [Id(110)] private Dictionary<string, ContractRecord>? _contracts;
    [Id(120)] private List<RecentRequest>? _recentFollowUps;

    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public CustomerProfile Profile { get; set; } = new("", null, null, null, null, null, null);
    [Id(2)] public CustomerStage Stage { get; set; }
    [Id(3)] public string PoolId { get; set; } = "";
    /// <summary>The org unit of the pool, kept here so that events and rows carry it without a lookup.</summary>
    [Id(4)] public string? OrgUnitId { get; set; }
    [Id(5)] public string? OwnerId { get; set; }
    [Id(6)] public DateTimeOffset? OwnedSince { get; set; }
    [Id(7)] public DateTimeOffset CreatedAt { get; set; }
    [Id(8)] public DateTimeOffset UpdatedAt { get; set; }
    [Id(9)] public DateTimeOffset? LastFollowUpAt { get; set; }
    [Id(10)] public DateTimeOffset? LastDealAt { get; set; }
    /// <summary>Reps that may not claim this customer again before the given time (reclaim protection).</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> ReclaimLocks => (IReadOnlyDictionary<string, DateTimeOffset>?)_reclaimLocks ?? ReadOnlyDictionary<string, DateTimeOffset>.Empty;
    // Id 12 held the timeline before it moved to the event log; it is not reused.
    /// <summary>The sequence number of the last event applied: the customer's version. The read model keeps the highest.</summary>
    [Id(13)] public long Version { get; set; }
    /// <summary>Nobody may claim the customer before this time (the pool's cool-down after a release or recycle).</summary>
    [Id(14)] public DateTimeOffset? CoolDownUntil { get; set; }
    /// <summary>Industry, region and language: what assignment matches against rep profiles.</summary>
    [Id(30)] public LeadTraits Traits { get; set; } = LeadTraits.None;
    /// <summary>The org unit of the region the address fell in at creation: only reps under it may own the customer.</summary>
    [Id(40)] public string? RegionUnitId { get; set; }
    /// <summary>The blocking keys this customer is indexed under (set whole: the list is never changed in place).</summary>
    public IReadOnlyList<string> DedupKeys
    {
        get => _dedupKeys ?? (IReadOnlyList<string>)[];
        set => _dedupKeys = value.Count == 0 ? null : new List<string>(value);
    }
    /// <summary>Customers flagged as possible duplicates of this one.</summary>
    public IReadOnlyList<Guid> FlaggedDuplicates => _flaggedDuplicates ?? (IReadOnlyList<Guid>)[];
    /// <summary>Set when a manager merged this customer into another: it is then an alias that redirects there.</summary>
    [Id(52)] public Guid? MergedInto { get; set; }
    /// <summary>Customers merged into this one, directly or through another merge: their histories join this timeline.</summary>
    public IReadOnlyList<Guid> MergedFrom => _mergedFrom ?? (IReadOnlyList<Guid>)[];
    /// <summary>The last ownership changes (claimed, assigned, released, recycled), oldest first: the anti-collusion evidence.</summary>
    public IReadOnlyList<OwnershipChange> Ownership => _ownership ?? (IReadOnlyList<OwnershipChange>)[];
    /// <summary>The ids of the latest notes, so that a retried note is answered without a second entry.</summary>
    public IReadOnlyList<RecentNote> RecentNoteIds => _recentNoteIds ?? (IReadOnlyList<RecentNote>)[];
    /// <summary>For an alias: who owned it when it was merged away (the survivor's timeline names them).</summary>
    [Id(62)] public string? OwnerBeforeMerge { get; set; }
    /// <summary>The customer's deals by id, open and closed (Deals/): what the deal commands decide on.</summary>
    public IReadOnlyDictionary<string, DealRecord> Deals => (IReadOnlyDictionary<string, DealRecord>?)_deals ?? ReadOnlyDictionary<string, DealRecord>.Empty;
    /// <summary>Where the customer is (Visits/): set by hand or by a geocoder; null when unknown.</summary>
    [Id(80)] public CustomerLocation? Location { get; set; }
    /// <summary>The last visit's check-in: the clock of the "no visit in N days" recycle rule.</summary>
    [Id(81)] public DateTimeOffset? LastVisitAt { get; set; }
    /// <summary>Visits checked in and not yet checked out.</summary>
    public IReadOnlyList<OpenVisit> OpenVisits => _openVisits ?? (IReadOnlyList<OpenVisit>)[];
    /// <summary>The card's custom field values by key (CustomFields/), keys compared ordinally (set whole, kept as given).</summary>
    public IReadOnlyDictionary<string, CustomValue> CustomFields
    {
        get => (IReadOnlyDictionary<string, CustomValue>?)_customFields ?? ReadOnlyDictionary<string, CustomValue>.Empty;
        set => _customFields = value.Count == 0 ? null : value as Dictionary<string, CustomValue> ?? new Dictionary<string, CustomValue>(value, StringComparer.Ordinal);
    }
    /// <summary>The customer's level (A–E by default; Levels/), null until set by hand or by the rule.</summary>
    [Id(91)] public string? Level { get; set; }
    /// <summary>Whether a person set the level: the rule then leaves it alone until it is handed back.</summary>
    [Id(92)] public bool LevelByHand { get; set; }
    /// <summary>The customer's contracts by id, with their payment plans and what each instalment received (Contracts/).</summary>
    public IReadOnlyDictionary<string, ContractRecord> Contracts => (IReadOnlyDictionary<string, ContractRecord>?)_contracts ?? ReadOnlyDictionary<string, ContractRecord>.Empty;
    /// <summary>The last follow-ups added with a request id (<see cref="NewFollowUp.RequestId"/>), newest last: a repeat is answered, not added.</summary>
    public IReadOnlyList<RecentRequest> RecentFollowUps => _recentFollowUps ?? (IReadOnlyList<RecentRequest>)[];

    /// <summary>Applies the events of one commit, in order, and moves the version to the last one's sequence number.</summary>
    public void Apply(IReadOnlyList<CustomerEvent> events, DateTimeOffset recordedAt)
    {
        foreach (var e in events)
        {
            Version++; // while an event applies, Version is its own sequence number
            e.ApplyTo(this);
        }

        UpdatedAt = recordedAt;
    }

    public void RememberFollowUp(RecentRequest request) => Append(ref _recentFollowUps, request, RecentFollowUpsKept);

    public void RememberOwnership(string kind, string repId, DateTimeOffset at) =>
        Append(ref _ownership, new OwnershipChange(kind, repId, at), OwnershipKept);

    /// <summary>The owner lets the customer go (release or recycle): locks as the event decided them, expired ones dropped.</summary>
    public void LetGo(string kind, string repId, DateTimeOffset at, DateTimeOffset? lockedUntil, DateTimeOffset? coolDownUntil)
    {
        OwnerId = null;
        OwnedSince = null;
        if (lockedUntil is { } until)
        {
            (_reclaimLocks ??= [])[repId] = until;
        }

        if (_reclaimLocks is not null)
        {
            foreach (var expired in _reclaimLocks.Where(l => l.Value <= at).Select(l => l.Key).ToList())
            {
                _reclaimLocks.Remove(expired);
            }

            _reclaimLocks = _reclaimLocks.Count == 0 ? null : _reclaimLocks;
        }

        CoolDownUntil = coolDownUntil;
        RememberOwnership(kind, repId, at);
    }

    public void RememberNote(string noteId, DateTimeOffset at) => RememberNote(new RecentNote(noteId, Version, at));

    public void RememberNote(RecentNote note) => Append(ref _recentNoteIds, note, NoteIdsKept);

    public void FlagDuplicate(Guid other) => (_flaggedDuplicates ??= new(1)).Add(other);

    public void UnflagDuplicate(Guid other)
    {
        if (_flaggedDuplicates is not null && _flaggedDuplicates.Remove(other) && _flaggedDuplicates.Count == 0)
        {
            _flaggedDuplicates = null;
        }
    }

    /// <summary>Links customers merged into this one (each once).</summary>
    public void LinkMerged(IEnumerable<Guid> ids)
    {
        var added = ids.Except(MergedFrom).ToList();
        if (added.Count > 0)
        {
            (_mergedFrom ??= new(added.Count)).AddRange(added);
        }
    }

    public void PutDeal(DealRecord deal) => (_deals ??= [])[deal.Id] = deal;

    public void PutContract(ContractRecord contract) => (_contracts ??= [])[contract.Id] = contract;

    public void CheckIn(OpenVisit visit) => Append(ref _openVisits, visit, OpenVisitsKept);

    public void CheckOut(string visitId)
    {
        if (_openVisits is not null && _openVisits.RemoveAll(v => v.VisitId == visitId) > 0 && _openVisits.Count == 0)
        {
            _openVisits = null;
        }
    }

    /// <summary>
    /// Drops the empty collections a snapshot written before they were kept null reads back with (one object each,
    /// per resident customer). The storage calls it after reading a snapshot.
    /// </summary>
    public CustomerState DropEmpty()
    {
        _reclaimLocks = _reclaimLocks is { Count: > 0 } ? _reclaimLocks : null;
        _dedupKeys = _dedupKeys is { Count: > 0 } ? _dedupKeys : null;
        _flaggedDuplicates = _flaggedDuplicates is { Count: > 0 } ? _flaggedDuplicates : null;
        _mergedFrom = _mergedFrom is { Count: > 0 } ? _mergedFrom : null;
        _ownership = _ownership is { Count: > 0 } ? _ownership : null;
        _recentNoteIds = _recentNoteIds is { Count: > 0 } ? _recentNoteIds : null;
        _deals = _deals is { Count: > 0 } ? _deals : null;
        _openVisits = _openVisits is { Count: > 0 } ? _openVisits : null;
        _customFields = _customFields is { Count: > 0 } ? _customFields : null;
        _contracts = _contracts is { Count: > 0 } ? _contracts : null;
        _recentFollowUps = _recentFollowUps is { Count: > 0 } ? _recentFollowUps : null;
        return this;
    }

    /// <summary>Adds to a bounded list, oldest first, made on the first entry with room for one.</summary>
    private static void Append<T>(ref List<T>? list, T item, int keep)
    {
        list ??= new List<T>(1);
        list.Add(item);
        if (list.Count > keep)
        {
            list.RemoveAt(0);
        }
    }
}
