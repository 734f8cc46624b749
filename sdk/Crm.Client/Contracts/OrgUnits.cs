namespace Crm.Client;

public sealed record CreateOrgUnitRequest(string Name, string? ParentId = null);

public sealed record OrgUnitDto(string Id, string Name, string? ParentId, IReadOnlyList<OrgUnitDto> Children);
