using System.ComponentModel.DataAnnotations;
namespace Crm.Client;

/// <summary>
/// Who may claim from a pool. An empty list lets the org tree decide: the reps of the pool's unit and the units
/// below it. A non-empty list admits only the reps it names.
/// </summary>
public sealed record PoolMembersRequest([property: MaxLength(1000)] IReadOnlyList<string>? Members);

public sealed record PoolMembersDto(string PoolId, string OrgUnitId, IReadOnlyList<string> Members, bool FollowsTree);
