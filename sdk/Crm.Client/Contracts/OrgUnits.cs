using System.ComponentModel.DataAnnotations;
namespace Crm.Client;

public sealed record CreateOrgUnitRequest([property: MaxLength(100)] string Name, [property: MaxLength(64)] string? ParentId = null);

public sealed record OrgUnitDto(string Id, string Name, string? ParentId, IReadOnlyList<OrgUnitDto> Children);

/// <summary>Renames and/or moves a unit (admin only). <c>ParentId</c> moves it with its whole subtree; <c>ToRoot</c> makes it a root.</summary>
public sealed record UpdateOrgUnitRequest([property: MaxLength(100)] string? Name = null, [property: MaxLength(64)] string? ParentId = null, bool ToRoot = false);
