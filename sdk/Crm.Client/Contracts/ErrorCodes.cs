namespace Crm.Client;

/// <summary>
/// The machine-readable <c>code</c> of a refusal (ProblemDetails extension): what a client switches on. The server
/// uses the same constants, so the two cannot drift.
/// </summary>
public static class ErrorCodes
{
    public const string NotFound = "not-found";

    /// <summary>No token, a bad or expired one, or one of a user who has left (401).</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>The route exists but not for this HTTP method (405).</summary>
    public const string MethodNotAllowed = "method-not-allowed";

    /// <summary>The body's content type is not one the route reads (415).</summary>
    public const string UnsupportedMediaType = "unsupported-media-type";
    public const string Forbidden = "forbidden";
    public const string Invalid = "invalid";

    /// <summary>An <c>If-Match</c> version the resource is no longer at (412): it changed since the client read it.</summary>
    public const string PreconditionFailed = "precondition-failed";

    // Sign-in
    public const string TooManyRequests = "too-many-requests";
    public const string PasswordChangeRequired = "password-change-required";

    // 409 conflicts on customers
    public const string AlreadyExists = "already-exists";
    public const string AlreadyOwned = "already-owned";
    public const string NotOwned = "not-owned";
    public const string CapacityFull = "capacity-full";
    public const string ClaimLimit = "claim-limit";
    public const string ReclaimProtected = "reclaim-protected";
    public const string CoolDown = "cool-down";
    public const string NotAPoolMember = "not-a-pool-member";
    public const string OutOfRegion = "out-of-region";
    public const string RepUnavailable = "rep-unavailable";
    public const string Merged = "merged";
    /// <summary>409: the duplicate of a merge has deals, which a merge would leave behind (merge the other way round).</summary>
    public const string HasDeals = "has-deals";
    public const string Duplicate = "duplicate";
    /// <summary>409: a dedup reindex job is running already (its id is in <c>jobId</c>).</summary>
    public const string ReindexRunning = "reindex-running";

    // 409 conflicts elsewhere
    public const string UserExists = "user-exists";
    public const string OrgCycle = "org-cycle";
    /// <summary>409: a unit move would leave a region's pool outside the region's unit (<c>regionId</c>, <c>poolId</c>).</summary>
    public const string RegionPoolOutside = "region-pool-outside";
    /// <summary>409: a unit move would leave a rep owning customers of pools or regions it no longer stands under (<c>repId</c>, <c>customerIds</c>).</summary>
    public const string CustomersLeftBehind = "customers-left-behind";
    public const string TemplateRenderFailed = "template-render-failed";

    // 409 conflicts on deals
    public const string DealClosed = "deal-closed";
    public const string CustomerInvalid = "customer-invalid";
    public const string ProductExists = "product-exists";
    public const string CustomFieldExists = "custom-field-exists";

    // 409 conflicts on contracts, payments and currencies (docs/contracts-and-payments.md)
    public const string DealNotWon = "deal-not-won";
    public const string ContractExists = "contract-exists";
    public const string ContractNumberTaken = "contract-number-taken";
    public const string BaseCurrencyHasRates = "base-currency-has-rates";

    // Targets (docs/reports.md).
    public const string NothingBelow = "target-nothing-below";

    // Field work (docs/field-work.md)
    public const string NoLocationConsent = "no-location-consent";
    public const string OutsideWorkingHours = "outside-working-hours";
    public const string VisitClosed = "visit-closed";

    /// <summary>409: the customer has no address to geocode.</summary>
    public const string NoAddress = "no-address";

    /// <summary>422: the geocoder found no place in the customer's address.</summary>
    public const string AddressNotGeocoded = "address-not-geocoded";

    /// <summary>503: the configured geocoder is not loaded, failed or did not answer in time.</summary>
    public const string GeocoderUnavailable = "geocoder-unavailable";

    // Tasks and sequences (docs/tasks-and-notifications.md)
    /// <summary>409: the task (or the items named) is no longer open: done or cancelled.</summary>
    public const string TaskClosed = "task-closed";
    /// <summary>409: a split found no active rep in the unit and below it.</summary>
    public const string NoReps = "no-reps";
    /// <summary>
    /// 409: the assignee of a task cannot follow up some of its customers (owned by another rep, or out of its reach);
    /// <c>customerIds</c> names them and <c>assigneeId</c> the rep. Given on creation, split, reassignment and completion.
    /// </summary>
    public const string CannotFollowUp = "cannot-follow-up";
    /// <summary>409: completing a task names unowned pool leads the assignee must claim first (<c>customerIds</c>).</summary>
    public const string ClaimFirst = "claim-first";
    /// <summary>409: the sequence step is done or stopped.</summary>
    public const string StepClosed = "step-closed";
    /// <summary>409: the sequence step's day has not come yet.</summary>
    public const string StepNotDue = "step-not-due";

    // Retries and outages (docs/reliability.md)
    /// <summary>409: a request with the same Idempotency-Key is still being processed.</summary>
    public const string IdempotencyKeyInFlight = "idempotency-key-in-flight";
    /// <summary>422: the Idempotency-Key was used before with another request.</summary>
    public const string IdempotencyKeyReused = "idempotency-key-reused";
    /// <summary>503: the database is unavailable; nothing was changed. Retry after the Retry-After header's seconds.</summary>
    public const string DatabaseUnavailable = "database-unavailable";
    /// <summary>503: a grain call was refused by a silo that is stopping (it never ran); nothing of that call was changed. Retry after Retry-After.</summary>
    public const string SiloStopping = "silo-stopping";
    /// <summary>503: the silo that ran a command left the cluster before answering; it may have run. A retry with the same Idempotency-Key is answered 409 until the key's in-flight timeout, then runs.</summary>
    public const string OutcomeUnknown = "outcome-unknown";

    // Bounded input (docs/security.md)
    /// <summary>413: the request body is larger than the route takes (a <c>limit</c> extension gives the bytes).</summary>
    public const string TooLarge = "too-large";
}
