using Crm.Grains.Customers;
using Crm.Grains.Customers.Events;

namespace Crm.Grains.EventLog;

/// <summary>
/// Everything one customer command makes durable, in one transaction: the new snapshot (only if the stored one is
/// still at <see cref="ExpectedVersion"/>), the events, the outbox entry of side effects, and the read-model rows
/// that follow the customer synchronously (its list row, its notes, and the capabilities' rows from
/// <see cref="ICustomerProjection"/>s as <see cref="Statements"/>). <see cref="RowBefore"/> is the list row as the
/// previous version left it (null for a new customer): the columns the commit leaves as they were are not rewritten.
/// </summary>
public sealed record CustomerCommit(
    string CustomerId,
    long ExpectedVersion,
    long Version,
    byte[] Snapshot,
    long RecordedMs,
    IReadOnlyList<EventRow> Events,
    byte[]? Outbox,
    CustomerRow? Row,
    IReadOnlyList<NoteWritten> Notes,
    string? OrgUnitId,
    IReadOnlyList<CommitStatement>? Statements = null,
    IReadOnlyList<ReadModelStatement>? ReadModel = null,
    CustomerRow? RowBefore = null);
