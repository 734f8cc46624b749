using Crm.Grains.Assignment;
using Crm.Grains.Common;
using Crm.Grains.Dedup;
using Crm.Grains.Notes;

namespace Crm.Grains.Customers;

/// <summary>
/// The single authority on one customer (key: customer id). Runs one call at a time, so ownership races
/// (two reps claiming at once) are decided here and exactly one wins.
/// </summary>
public interface ICustomerGrain : IGrainWithGuidKey
{
    /// <summary>Stores a new customer; <paramref name="dedupKeys"/> are the blocking keys the dedup gate reserved for it.</summary>
    /// <param name="dedupPending">Why the dedup keys are incomplete (a strategy failed): the customer is queued in <c>dedup_pending</c> in the same commit.</param>
    Task<Result<CustomerView>> Create(NewCustomer request, Actor actor, IReadOnlyList<string>? dedupKeys = null, string? dedupPending = null);

    /// <summary>Records that <paramref name="other"/> may be the same customer (idempotent) and tells the owner and managers.</summary>
    /// <param name="match">The match between the two that the dedup rule flags (found from either side).</param>
    Task FlagDuplicate(Guid other, DedupMatch match, Actor actor);

    /// <summary>
    /// An import's flags against this customer, in one commit: one call for all the leads of a batch that match it. The
    /// customer is then let go when idle instead of staying in memory for the collection age (an import into a million
    /// customers flagged tens of thousands of them). Many separate calls at once to a customer being let go were refused
    /// by Orleans ("forwarding failed": a pharmacy chain's 140 branches all matching one stored branch).
    /// </summary>
    Task FlagDuplicates(IReadOnlyList<DuplicateFlag> flags, Actor actor);

    /// <summary>
    /// Merges <paramref name="duplicateId"/> into this customer: its history is linked into this timeline, and the other
    /// becomes an alias (through the outbox, so it completes even if the other cannot commit at this moment).
    /// </summary>
    Task<Result<CustomerView>> MergeFrom(Guid duplicateId, string? reason, Actor actor);

    /// <summary>What <paramref name="survivor"/> takes in when this customer is merged into it; checks the caller reaches it. Changes nothing.</summary>
    Task<Result<MergeSource>> PrepareMerge(Guid survivor, Actor actor);

    /// <summary>Turns this customer into an alias of <paramref name="survivor"/>, which decided the merge (idempotent).</summary>
    Task<CrmError?> BecomeAlias(Guid survivor, string? reason, string? actorId);

    /// <summary>The customer this one was merged into, or null.</summary>
    Task<Guid?> AliasOf();

    Task<CustomerView?> Get();

    /// <summary>
    /// The customer as <paramref name="reader"/> may see it, in one call: the survivor's id when it was merged away, the
    /// customer when the reader sees it (Org/CustomerAccess.SeesAsync), else neither (404 at the API).
    /// </summary>
    Task<CustomerRead> Read(Actor reader);

    /// <summary>
    /// A page of the history (this customer's events and those of customers merged into it), newest first, before the
    /// log position <paramref name="before"/>; null when the customer does not exist, or when a <paramref name="reader"/>
    /// is given who may not see it.
    /// </summary>
    Task<HistoryPage?> GetTimeline(long? before = null, int limit = 50, Actor? reader = null);

    /// <summary>A page of the customer's notes, newest first, like <see cref="GetTimeline"/>.</summary>
    Task<HistoryPage?> GetNotes(long? before = null, int limit = 50, Actor? reader = null);

    /// <summary>The org unit of the region the customer's address fell in (only reps under it may own it), if any.</summary>
    Task<string?> GetRegionUnitId();

    Task<Result<CustomerView>> Claim(Actor actor);

    Task<Result<CustomerView>> Release(string? reason, Actor actor);

    Task<Result<CustomerView>> Assign(string repId, string? reason, Actor actor);

    Task<Result<HistoryEntry>> AddFollowUp(NewFollowUp request, Actor actor);

    /// <summary>
    /// Where each of <paramref name="users"/> stands towards following this customer up (tasks ask before they give,
    /// move or complete work on it). Changes nothing.
    /// </summary>
    Task<FollowUpStandings> FollowUpStandings(IReadOnlyList<Org.OrgMember> users);

    Task<Result<CustomerView>> ChangeStage(CustomerStage stage, string? reason, Actor actor);

    /// <summary>
    /// Asked by the owner's rep grain when its deadline passed. The customer re-checks owner, facts and the
    /// pool's current rules and recycles only if still due; asking twice recycles once.
    /// </summary>
    Task<RecycleOutcome> Recycle(string expectedOwner);

    /// <summary>Moves the customer to another public pool (a manager's bulk action); an owner keeps it.</summary>
    Task<Result<CustomerView>> MoveToPool(string poolId, string? reason, Actor actor);

    /// <summary>Puts a rendered quick note on the timeline (idempotent by note id) and pushes <c>NoteAdded</c>.</summary>
    Task<Result<HistoryEntry>> AddNote(NoteRecord note, Actor actor);

    /// <summary>The customer as automatic assignment sees it (null when it does not exist).</summary>
    Task<AssignmentLead?> GetAssignmentLead();

    /// <summary>
    /// Hands an unowned customer to a rep on behalf of an assignment rule: refused when it is owned already, when the
    /// rep's reclaim protection still runs, or when the rep is at capacity.
    /// </summary>
    Task<Result<CustomerView>> AssignByRule(string repId, AssignmentNote note);

    /// <summary>
    /// Writes this customer's read-model row again, and puts it back into its owner's private pool and the dedup index
    /// from its snapshot; answers whether it exists. The heal and rebuild path, never needed on the normal one.
    /// </summary>
    Task<bool> Reproject();
}
