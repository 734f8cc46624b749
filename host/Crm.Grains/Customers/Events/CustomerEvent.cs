using System.Text.Json.Serialization;
using Crm.Grains.EventLog;
using Crm.Grains.Visits.Events;

namespace Crm.Grains.Customers.Events;

/// <summary>
/// One change of a customer, as it is appended to the customer's event log (table <c>customer_events</c>). The log is
/// the customer's history; the grain's snapshot is what the events add up to. Each event knows how it changes the
/// snapshot (<see cref="ApplyTo"/>) and how the timeline shows it (<see cref="Describe"/>).
/// </summary>
/// <remarks>
/// Stored as JSON with its kind as the discriminator, so that the history outlives the classes: adding a property is
/// safe, renaming one is a migration. <see cref="At"/> is when it happened (a follow-up may be logged late).
/// </remarks>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$kind")]
[JsonDerivedType(typeof(Created), TimelineKinds.Created)]
[JsonDerivedType(typeof(Claimed), TimelineKinds.Claimed)]
[JsonDerivedType(typeof(Released), TimelineKinds.Released)]
[JsonDerivedType(typeof(Assigned), TimelineKinds.Assigned)]
[JsonDerivedType(typeof(Recycled), TimelineKinds.Recycled)]
[JsonDerivedType(typeof(FollowedUp), TimelineKinds.FollowUp)]
[JsonDerivedType(typeof(StageMoved), TimelineKinds.StageChanged)]
[JsonDerivedType(typeof(DuplicateSuspected), TimelineKinds.DuplicateFlagged)]
[JsonDerivedType(typeof(NoteWritten), TimelineKinds.Note)]
[JsonDerivedType(typeof(Merged), TimelineKinds.Merged)]
[JsonDerivedType(typeof(MergedAway), TimelineKinds.MergedInto)]
[JsonDerivedType(typeof(MovedToPool), TimelineKinds.Moved)]
[JsonDerivedType(typeof(Deals.Events.DealOpened), TimelineKinds.DealCreated)]
[JsonDerivedType(typeof(Deals.Events.DealStageMoved), TimelineKinds.DealStageChanged)]
[JsonDerivedType(typeof(Deals.Events.DealClosedWon), TimelineKinds.DealWon)]
[JsonDerivedType(typeof(Deals.Events.DealClosedLost), TimelineKinds.DealLost)]
[JsonDerivedType(typeof(Deals.Events.DealAttempted), TimelineKinds.DealAttempt)]
[JsonDerivedType(typeof(Deals.Events.DealRepChanged), TimelineKinds.DealRepChanged)]
[JsonDerivedType(typeof(Contracts.Events.ContractSigned), TimelineKinds.ContractSigned)]
[JsonDerivedType(typeof(Contracts.Events.PaymentRecorded), TimelineKinds.PaymentReceived)]
[JsonDerivedType(typeof(Contracts.Events.InstalmentOverdue), TimelineKinds.PaymentOverdue)]
[JsonDerivedType(typeof(LocationSet), TimelineKinds.LocationSet)]
[JsonDerivedType(typeof(VisitCheckedIn), TimelineKinds.Visit)]
[JsonDerivedType(typeof(VisitCheckedOut), TimelineKinds.VisitEnded)]
[JsonDerivedType(typeof(CustomFields.Events.CustomFieldsChanged), TimelineKinds.CustomFieldsChanged)]
[JsonDerivedType(typeof(CustomerDetails.Events.DetailsEdited), TimelineKinds.DetailsEdited)]
[JsonDerivedType(typeof(Levels.Events.LevelChanged), TimelineKinds.LevelChanged)]
[JsonDerivedType(typeof(Dedup.Events.DedupIndexed), TimelineKinds.DedupIndexed)]
public abstract record CustomerEvent(DateTimeOffset At, string? ActorId)
{
    /// <summary>The timeline kind (<see cref="TimelineKinds"/>), also the discriminator in the stored JSON.</summary>
    [JsonIgnore]
    public abstract string Kind { get; }

    /// <summary>What this event changes in the snapshot; a few lines each, no decisions.</summary>
    public abstract void ApplyTo(CustomerState state);

    /// <summary>How the timeline shows this event: the reason, the free text and the data fields clients read.</summary>
    public abstract TimelineFields Describe();

    /// <summary>The capability read-model rows this event writes in its own commit (none for most events).</summary>
    public virtual IEnumerable<ReadModelStatement> ReadModel(Guid customerId, CustomerState next) => [];
}
