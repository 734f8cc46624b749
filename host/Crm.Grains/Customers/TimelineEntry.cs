namespace Crm.Grains.Customers;

/// <summary>One entry of a customer's history. Kinds are listed in <see cref="TimelineKinds"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record TimelineEntry(
    int Seq,
    DateTimeOffset At,
    string Kind,
    string? ActorId,
    string? Reason,
    string? Text,
    Dictionary<string, string?> Data);

public static class TimelineKinds
{
    public const string Created = "created";
    public const string Claimed = "claimed";
    public const string Released = "released";
    public const string Recycled = "recycled";
    public const string Moved = "moved";
    public const string Assigned = "assigned";
    public const string FollowUp = "follow-up";
    public const string StageChanged = "stage-changed";
    public const string DuplicateFlagged = "duplicate-flagged";
    public const string Note = "note";
    public const string Merged = "merged";
    public const string MergedInto = "merged-into";
    public const string DealCreated = "deal-created";
    public const string DealStageChanged = "deal-stage-changed";
    public const string DealWon = "deal-won";
    public const string DealLost = "deal-lost";
    public const string DealAttempt = "deal-attempt";
    public const string DealRepChanged = "deal-rep-changed";
    public const string ContractSigned = "contract-signed";
    public const string PaymentReceived = "payment-received";
    public const string PaymentOverdue = "payment-overdue";
    public const string LocationSet = "location-set";
    public const string Visit = "visit";
    public const string VisitEnded = "visit-ended";
    public const string CustomFieldsChanged = "custom-fields-changed";
    public const string DetailsEdited = "details-edited";
    public const string LevelChanged = "level-changed";
    public const string DedupIndexed = "dedup-indexed";
}
