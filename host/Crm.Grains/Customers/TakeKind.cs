namespace Crm.Grains.Customers;

/// <summary>The ways a customer comes into a rep's private pool; each has its own row in <see cref="OwnershipPolicy"/>.</summary>
public enum TakeKind
{
    /// <summary>A rep claims it from the public pool.</summary>
    Claim,

    /// <summary>A manager (or admin) hands it to a rep, possibly taking it from another.</summary>
    Assign,

    /// <summary>The pool's assignment rule hands an unowned lead to a rep.</summary>
    Rule,

    /// <summary>The customer is created with an owner.</summary>
    Create,
}
