using Crm.Grains.Common;
using Crm.Grains.Customers.Events;
using Crm.Grains.Dedup;

namespace Crm.Server.Api.Dedup;

/// <summary>
/// The duplicate flags an import batch stores with its leads' creations: a lead flagged against another customer carries
/// the flag in its first commit, and a lead of the same batch that it was flagged against carries the other side. These
/// are the events the customer grain's <c>FlagDuplicate</c> would raise on each, without activating either: a batch of
/// leads of which a tenth resembled a customer spent a quarter of its writing time activating the new leads to flag them.
/// </summary>
public sealed class CreationFlags
{
    private readonly Dictionary<Guid, List<DuplicateSuspected>> _byCustomer = [];

    /// <summary>The leads the batch creates: a flag against one of them is stored with it, not sent to a grain.</summary>
    public IReadOnlySet<Guid> Leads { get; private init; } = new HashSet<Guid>();

    /// <param name="creating">The leads the batch creates, with their dedup decisions.</param>
    public static CreationFlags Of(IReadOnlyList<(Guid Lead, DedupDecision Decision)> creating, DateTimeOffset now, Actor actor)
    {
        var inBatch = creating.Select(c => c.Lead).ToHashSet();
        var flags = new CreationFlags { Leads = inBatch };
        foreach (var (lead, decision) in creating)
        {
            foreach (var match in decision.Matches.Where(m => m.Action == "flag" && m.CustomerId != lead))
            {
                flags.Add(lead, DuplicateSuspected.Of(now, actor.UserId, match.CustomerId, match));
                if (inBatch.Contains(match.CustomerId))
                {
                    flags.Add(match.CustomerId, DuplicateSuspected.Of(now, actor.UserId, lead, match));
                }
            }
        }

        return flags;
    }

    /// <summary>The flags to store with a lead's creation, after its <see cref="Created"/> event.</summary>
    public IReadOnlyList<CustomerEvent> For(Guid lead) => _byCustomer.TryGetValue(lead, out var flags) ? flags : [];

    private void Add(Guid customer, DuplicateSuspected flag)
    {
        if (!_byCustomer.TryGetValue(customer, out var flags))
        {
            _byCustomer[customer] = flags = [];
        }

        // As the grain: a customer is flagged against another one once.
        if (!flags.Exists(f => f.DuplicateOf == flag.DuplicateOf))
        {
            flags.Add(flag);
        }
    }
}
