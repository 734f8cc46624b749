using Crm.Client;
using Crm.Grains.Customers.Events;

namespace Crm.Grains.Customers;

/// <summary>
/// The snapshot of one customer: what the grain's decisions need (owner, pool, stage, locks, counters, last
/// follow-up), never its history, which is the event log. Written with every commit beside the events it adds up
/// to, so an activation reads one small row.
/// </summary>
[GenerateSerializer]
public sealed class CustomerState
{
    /// <summary>How many ownership changes are kept for the anti-collusion checks (they read the last three).</summary>
    public const int OwnershipKept = 8;

    /// <summary>How many recent note ids are kept to answer a retried note without writing it twice.</summary>
    public const int NoteIdsKept = 64;

    /// <summary>How many visits may stay open (checked in, not out); the oldest is forgotten beyond that.</summary>
    public const int OpenVisitsKept = 16;

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
    [Id(11)] public Dictionary<string, DateTimeOffset> ReclaimLocks { get; set; } = [];
    // Id 12 held the timeline before it moved to the event log; it is not reused.
    /// <summary>The sequence number of the last event applied: the customer's version. The read model keeps the highest.</summary>
    [Id(13)] public long Version { get; set; }
    /// <summary>Nobody may claim the customer before this time (the pool's cool-down after a release or recycle).</summary>
    [Id(14)] public DateTimeOffset? CoolDownUntil { get; set; }
    /// <summary>Industry, region and language: what assignment matches against rep profiles.</summary>
    [Id(30)] public LeadTraits Traits { get; set; } = LeadTraits.None;
    /// <summary>The org unit of the region the address fell in at creation: only reps under it may own the customer.</summary>
    [Id(40)] public string? RegionUnitId { get; set; }
    /// <summary>The blocking keys this customer is indexed under.</summary>
    [Id(50)] public List<string> DedupKeys { get; set; } = [];
    /// <summary>Customers flagged as possible duplicates of this one.</summary>
    [Id(51)] public List<Guid> FlaggedDuplicates { get; set; } = [];
    /// <summary>Set when a manager merged this customer into another: it is then an alias that redirects there.</summary>
    [Id(52)] public Guid? MergedInto { get; set; }
    /// <summary>Customers merged into this one, directly or through another merge: their histories join this timeline.</summary>
    [Id(53)] public List<Guid> MergedFrom { get; set; } = [];
    /// <summary>The last ownership changes (claimed, assigned, released, recycled), oldest first: the anti-collusion evidence.</summary>
    [Id(60)] public List<OwnershipChange> Ownership { get; set; } = [];
    /// <summary>The ids of the latest notes, so that a retried note is answered without a second entry.</summary>
    [Id(61)] public List<RecentNote> RecentNoteIds { get; set; } = [];
    /// <summary>For an alias: who owned it when it was merged away (the survivor's timeline names them).</summary>
    [Id(62)] public string? OwnerBeforeMerge { get; set; }
    /// <summary>The customer's deals by id, open and closed (Deals/): what the deal commands decide on.</summary>
    [Id(70)] public Dictionary<string, Crm.Grains.Deals.DealRecord> Deals { get; set; } = [];
    /// <summary>Where the customer is (Visits/): set by hand or by a geocoder; null when unknown.</summary>
    [Id(80)] public Visits.CustomerLocation? Location { get; set; }
    /// <summary>The last visit's check-in: the clock of the "no visit in N days" recycle rule.</summary>
    [Id(81)] public DateTimeOffset? LastVisitAt { get; set; }
    /// <summary>Visits checked in and not yet checked out.</summary>
    [Id(82)] public List<Visits.OpenVisit> OpenVisits { get; set; } = [];
    /// <summary>The card's custom field values by key (CustomFields/).</summary>
    [Id(90)] public Dictionary<string, CustomFields.CustomValue> CustomFields { get; set; } = [];
    /// <summary>The customer's level (A–E by default; Levels/), null until set by hand or by the rule.</summary>
    [Id(91)] public string? Level { get; set; }
    /// <summary>Whether a person set the level: the rule then leaves it alone until it is handed back.</summary>
    [Id(92)] public bool LevelByHand { get; set; }
    /// <summary>The customer's contracts by id, with their payment plans and what each instalment received (Contracts/).</summary>
    [Id(110)] public Dictionary<string, Contracts.ContractRecord> Contracts { get; set; } = [];
    /// <summary>The last follow-ups added with a request id (<see cref="NewFollowUp.RequestId"/>), newest last: a repeat is answered, not added.</summary>
    [Id(120)] public List<RecentRequest> RecentFollowUps { get; set; } = [];

    /// <summary>How many request ids of follow-ups a customer remembers: enough for the retries of one rolling restart.</summary>
    public const int RecentFollowUpsKept = 16;

    public void RememberFollowUp(RecentRequest request)
    {
        RecentFollowUps.Add(request);
        if (RecentFollowUps.Count > RecentFollowUpsKept)
        {
            RecentFollowUps.RemoveAt(0);
        }
    }

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

    public void RememberOwnership(string kind, string repId, DateTimeOffset at)
    {
        Ownership.Add(new OwnershipChange(kind, repId, at));
        if (Ownership.Count > OwnershipKept)
        {
            Ownership.RemoveAt(0);
        }
    }

    /// <summary>The owner lets the customer go (release or recycle): locks as the event decided them, expired ones dropped.</summary>
    public void LetGo(string kind, string repId, DateTimeOffset at, DateTimeOffset? lockedUntil, DateTimeOffset? coolDownUntil)
    {
        OwnerId = null;
        OwnedSince = null;
        if (lockedUntil is { } until)
        {
            ReclaimLocks[repId] = until;
        }

        foreach (var expired in ReclaimLocks.Where(l => l.Value <= at).Select(l => l.Key).ToList())
        {
            ReclaimLocks.Remove(expired);
        }

        CoolDownUntil = coolDownUntil;
        RememberOwnership(kind, repId, at);
    }

    public void RememberNote(string noteId, DateTimeOffset at)
    {
        RecentNoteIds.Add(new RecentNote(noteId, Version, at));
        if (RecentNoteIds.Count > NoteIdsKept)
        {
            RecentNoteIds.RemoveAt(0);
        }
    }
}
