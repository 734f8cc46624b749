namespace Crm.Tests.Permissions;

/// <summary>
/// One row of the permission matrix: a route ("METHOD /template" as in the OpenAPI document), what is probed, and
/// which role may do it on which relation. <see cref="Probe"/> answers true when the request was allowed and false
/// when it was refused without leaking (403/404, or the item absent from a list); anything else fails the test.
/// A row with <see cref="PerRelation"/> false does not depend on the data's unit: it is probed once per role.
/// </summary>
public sealed record MatrixRow(string Route, string What, Expect Expect, Func<MatrixCell, Task<bool>> Probe, bool PerRelation = true)
{
    public override string ToString() => $"{Route} ({What})";
}
