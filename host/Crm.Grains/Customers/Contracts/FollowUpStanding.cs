namespace Crm.Grains.Customers;

/// <summary>Where a user stands towards recording follow-ups on a customer (<see cref="ICustomerGrain.FollowUpStandings"/>).</summary>
public enum FollowUpStanding
{
    /// <summary>May record follow-ups now: the owner, a manager reaching the customer's unit, an admin.</summary>
    Allowed = 0,

    /// <summary>An unowned customer of a pool the rep may claim from (member, inside its region): allowed once claimed.</summary>
    ClaimFirst = 1,

    /// <summary>Another rep owns it.</summary>
    OwnedByOther = 2,

    /// <summary>Outside the user's reach: another unit, a pool it is not a member of, a region its unit does not cover.</summary>
    OutOfReach = 3,

    /// <summary>The customer does not exist (any more: merged into another).</summary>
    Missing = 4,
}

/// <summary>The customer's owner and, for each user asked, in the order asked, where it stands.</summary>
[GenerateSerializer, Immutable]
public sealed record FollowUpStandings([property: Id(0)] string? OwnerId, [property: Id(1)] IReadOnlyList<FollowUpStanding> Of);
