using System.ComponentModel.DataAnnotations;

namespace Crm.Sdk;

/// <summary>A rep that may receive a lead: profile and current load.</summary>
public sealed record RepCandidate
{
    /// <summary>The rep's id (its user id).</summary>
    public required string RepId { get; init; }

    /// <summary>The org unit (team) the rep belongs to.</summary>
    public string? OrgUnitId { get; init; }

    /// <summary>How many customers the rep owns now (its private pool).</summary>
    [Range(0, 1_000_000)]
    public int OwnedCount { get; init; }

    /// <summary>The most customers the rep may own; null means no limit.</summary>
    [Range(0, 1_000_000)]
    public int? Capacity { get; init; }

    /// <summary>How many customers the rep received or claimed today.</summary>
    [Range(0, 1_000_000)]
    public int ReceivedToday { get; init; }

    /// <summary>Industries the rep knows.</summary>
    public IReadOnlyList<string> Industries { get; init; } = [];

    /// <summary>Regions the rep covers.</summary>
    public IReadOnlyList<string> Regions { get; init; } = [];

    /// <summary>Languages the rep speaks (e.g. <c>zh</c>, <c>en</c>).</summary>
    public IReadOnlyList<string> Languages { get; init; } = [];

    /// <summary>Seniority level set by the business: 0 for a new rep, higher for more senior.</summary>
    [Range(0, 100)]
    public int Seniority { get; init; }

    /// <summary>When the rep joined, if known (new reps may get a boost).</summary>
    public DateTimeOffset? JoinedAt { get; init; }

    /// <summary>Deals the rep has won so far.</summary>
    [Range(0, 1_000_000)]
    public int DealsWon { get; init; }

    /// <summary>False when the rep is off duty (leave, disabled); strategies should normally skip such reps.</summary>
    public bool IsActive { get; init; } = true;

    /// <summary>True when <see cref="OwnedCount"/> has reached <see cref="Capacity"/>.</summary>
    public bool IsFull => Capacity is { } capacity && OwnedCount >= capacity;

    /// <summary>Extra profile attributes by key. Never null.</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = EmptyAttributes;

    private static readonly IReadOnlyDictionary<string, string> EmptyAttributes = new Dictionary<string, string>();
}
