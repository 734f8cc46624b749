namespace Crm.Grains.Common;

/// <summary>
/// What a user may do, as grains and permission checks see it: the server's own enum, so a grain call or a stored
/// org member never carries the API's <c>Crm.Client.Role</c> (mapped at the API edge, <c>Auth/RoleWire</c>).
/// The names are the role claim's and the <c>users.role</c> column's, lower-cased.
/// </summary>
[GenerateSerializer]
public enum UserRole
{
    Admin = 0,
    Manager = 1,
    Rep = 2,
}
