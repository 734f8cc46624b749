namespace Crm.Client;

public sealed record CreateUserRequest(string UserName, string Password, string DisplayName, Role? Role, string? OrgUnitId);

public sealed record UserDto(string Id, string UserName, string DisplayName, Role Role, string? OrgUnitId, DateTimeOffset CreatedAt);
