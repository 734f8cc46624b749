using Crm.Client;

namespace Crm.Tests.Permissions;

/// <summary>Which relations each role is allowed on, for one row of the permission matrix.</summary>
public sealed record Expect(Rel Admin, Rel Manager, Rel Rep)
{
    public static readonly Expect AdminOnly = new(Rel.All, Rel.None, Rel.None);

    /// <summary>Open downward, closed upward: admins everything, managers their unit and below, reps their own.</summary>
    public static readonly Expect Downward = new(Rel.All, Rel.Own | Rel.Below, Rel.Own);

    /// <summary>Like <see cref="Downward"/>, but reps also reach the public pools of the units above theirs (membership follows the tree).</summary>
    public static readonly Expect DownwardAndMemberPools = new(Rel.All, Rel.Own | Rel.Below, Rel.Own | Rel.Above);

    /// <summary>Managers their subtree; reps nothing.</summary>
    public static readonly Expect ManagersDownward = new(Rel.All, Rel.Own | Rel.Below, Rel.None);

    public Rel For(Role role) => role switch
    {
        Role.Admin => Admin,
        Role.Manager => Manager,
        _ => Rep,
    };
}
