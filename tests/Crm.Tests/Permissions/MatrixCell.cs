using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Permissions;

/// <summary>One cell of the matrix: a caller of a role, and the unit (with its pool, rep and customers) it acts on.</summary>
public sealed record MatrixCell(PermissionWorld World, Role Role, Rel Relation)
{
    public CrmApi Caller => World.CallerOf(Role);

    public WorldUnit Target => World.UnitAt(Relation);
}
