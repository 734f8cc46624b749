namespace Crm.Sdk;

/// <summary>
/// Finds duplicate customers in two steps: <see cref="Keys"/> gives blocking keys that the host indexes (sharded,
/// so no lookup scans all customers); <see cref="Compare"/> scores each stored customer that shares a key with the
/// incoming one.
/// </summary>
/// <remarks>
/// Both methods run through a host adapter with a time budget; a throw or a timeout is counted as a fault. Keep them
/// pure: the same input must give the same keys, or the index cannot find what it stored.
/// </remarks>
public interface IDedupStrategy
{
    /// <summary>The unique name pools use to select this strategy, e.g. <c>identity-keys</c>.</summary>
    string Name { get; }

    /// <summary>The blocking keys of a customer, already normalised. Empty when the customer has none.</summary>
    /// <param name="customer">The customer to index or to look up.</param>
    /// <returns>The keys; duplicates are ignored.</returns>
    IEnumerable<BlockingKey> Keys(CustomerSnapshot customer);

    /// <summary>Compares an incoming customer with a stored one that shares at least one blocking key.</summary>
    /// <param name="incoming">The customer being created or imported.</param>
    /// <param name="existing">A stored customer found through a shared key.</param>
    /// <returns>The match, or null when they are not the same customer.</returns>
    MatchResult? Compare(CustomerSnapshot incoming, CustomerSnapshot existing);
}
