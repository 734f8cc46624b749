namespace Crm.Tests.Permissions;

/// <summary>
/// Where the data a request touches stands relative to the caller's unit ("Mid"): its own unit, the unit below it,
/// the unit above it, or the unit beside it. For a rep, "own" data of a rep is its own private pool.
/// </summary>
[Flags]
public enum Rel
{
    None = 0,
    Own = 1,
    Below = 2,
    Above = 4,
    Sibling = 8,
    All = Own | Below | Above | Sibling,
}
