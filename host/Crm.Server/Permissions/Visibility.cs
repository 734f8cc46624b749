using Crm.Grains.Common;
using Crm.Client;
using Dapper;

namespace Crm.Server.Permissions;

/// <summary>
/// The query side of the data permissions, in one place: what a caller may see of the read model, turned into
/// SQL conditions that every list, search and single read adds to its WHERE clause.
/// An admin sees everything; a manager its unit and the units below it (by unit path prefix); a rep its own
/// customers, the unowned customers of the public pools it is a member of, those pools, and itself.
/// </summary>
public sealed record Visibility(UserRole Role, string UserId, string UnitPath)
{
    /// <summary>The ids of the pools a rep is a member of (Grains/Org/OrgPaths.IsPoolMember): the pools of its unit or
    /// the units above it, narrowed by a pool's member list to the listed reps. Listed reps who left, are no longer reps
    /// or no longer stand under the pool's unit do not count, and a list in which nobody counts is no list.</summary>
    private const string MemberPoolIds = """
        SELECT vp.id FROM pools vp JOIN org_units vu ON vu.id = vp.org_unit_id
        WHERE @visPath LIKE (vu.path || '%')
          AND (EXISTS (SELECT 1 FROM pool_members vm WHERE vm.pool_id = vp.id AND vm.user_id = @visUser)
               OR NOT EXISTS (SELECT 1 FROM pool_members vm
                              JOIN users mu ON mu.id = vm.user_id JOIN org_units mo ON mo.id = mu.org_unit_id
                              WHERE vm.pool_id = vp.id AND mu.role = 'rep' AND mo.path LIKE (vu.path || '%')
                                AND NOT EXISTS (SELECT 1 FROM departed_users md WHERE md.user_id = mu.id)))
        """;

    private const string SubtreeUnitIds = "SELECT vs.id FROM org_units vs WHERE vs.path LIKE @visPrefix";

    public bool SeesAll => Role == UserRole.Admin;

    /// <summary>A condition on the <c>customers</c> table (columns <c>owner_id</c>, <c>pool_id</c>, <c>org_unit_id</c>).</summary>
    public string Customers(DynamicParameters args, string table = "customers") => Bind(args, Role switch
    {
        UserRole.Admin => "1 = 1",
        UserRole.Manager => $"{table}.org_unit_id IN ({SubtreeUnitIds})",
        _ => $"({table}.owner_id = @visUser OR ({table}.owner_id IS NULL AND {table}.pool_id IN ({MemberPoolIds})))",
    });

    /// <summary>A condition on the <c>pools</c> table (columns <c>id</c>, <c>org_unit_id</c>).</summary>
    public string Pools(DynamicParameters args, string table = "pools") => Bind(args, Role switch
    {
        UserRole.Admin => "1 = 1",
        UserRole.Manager => $"{table}.org_unit_id IN ({SubtreeUnitIds})",
        _ => $"{table}.id IN ({MemberPoolIds})",
    });

    /// <summary>A condition on the <c>users</c> table (columns <c>id</c>, <c>org_unit_id</c>): a rep sees itself only.</summary>
    public string Users(DynamicParameters args, string table = "users") => Bind(args, Role switch
    {
        UserRole.Admin => "1 = 1",
        UserRole.Manager => $"{table}.org_unit_id IN ({SubtreeUnitIds})",
        _ => $"{table}.id = @visUser",
    });

    /// <summary>A condition on the <c>org_units</c> table (column <c>path</c>): the caller's unit and those below it.</summary>
    public string OrgUnits(DynamicParameters args, string table = "org_units") =>
        Bind(args, SeesAll ? "1 = 1" : $"{table}.path LIKE @visPrefix");

    /// <summary>Whether a unit path lies inside what the caller sees (for data that is not in a table).</summary>
    public bool Reaches(string? unitPath) => SeesAll || Grains.Org.OrgPaths.Reaches(UnitPath, unitPath);

    private string Bind(DynamicParameters args, string condition)
    {
        args.Add("visPrefix", UnitPath + "%");
        args.Add("visPath", UnitPath);
        args.Add("visUser", UserId);
        return condition;
    }
}
