using System.Text.Json;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Permissions;

/// <summary>
/// Runs the permission matrix against the real server, on both storage profiles: for each route, each role (admin,
/// the manager of Mid, a rep on Mid) and each relation (own, below, above, sibling), the request is allowed or
/// refused as the row expects. The guard reads the server's OpenAPI document and fails when a route has no row.
/// </summary>
public abstract class PermissionMatrixTests
{
    private static readonly PerServer<PermissionWorld> Worlds = new(server => PermissionWorld.CreateAsync(server));

    protected abstract ServerProcess Server { get; }

    public static TheoryData<int> RowIndexes()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < PermissionMatrix.Rows.Count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RowIndexes), MemberType = typeof(PermissionMatrixTests))]
    public async Task Each_role_reaches_exactly_the_data_the_matrix_allows(int index)
    {
        var row = PermissionMatrix.Rows[index];
        var world = await WorldAsync();
        var relations = row.PerRelation ? new[] { Rel.Own, Rel.Below, Rel.Above, Rel.Sibling } : [Rel.Own];
        var wrong = new List<string>();
        foreach (var role in new[] { Role.Admin, Role.Manager, Role.Rep })
        {
            foreach (var relation in relations)
            {
                var expected = row.PerRelation ? row.Expect.For(role).HasFlag(relation) : row.Expect.For(role) != Rel.None;
                bool actual;
                try
                {
                    actual = await row.Probe(new MatrixCell(world, role, relation));
                }
                catch (Exception ex)
                {
                    wrong.Add($"{role} on {relation}: {ex.Message}");
                    continue;
                }

                if (actual != expected)
                {
                    wrong.Add($"{role} on {relation}: expected {(expected ? "allowed" : "refused")}, was {(actual ? "allowed" : "refused")}");
                }
            }
        }

        Assert.True(wrong.Count == 0, $"{row}:\n  {string.Join("\n  ", wrong)}");
    }

    [Fact]
    public async Task Every_route_of_the_server_has_a_row_in_the_matrix()
    {
        var document = await Server.Api().GetAsync("/openapi/v1.json");
        var routes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in document.Value.GetProperty("paths").EnumerateObject())
        {
            foreach (var method in path.Value.EnumerateObject().Where(m => m.Value.ValueKind == JsonValueKind.Object && m.Name != "parameters"))
            {
                routes.Add($"{method.Name.ToUpperInvariant()} {Normalize(path.Name)}");
            }
        }

        var covered = PermissionMatrix.Rows.Select(r => r.Route).Concat(PermissionMatrix.Exempt.Keys).ToHashSet(StringComparer.Ordinal);
        var missing = routes.Where(r => !covered.Contains(r)).ToList();
        var stale = covered.Where(r => !routes.Contains(r)).ToList();

        Assert.True(routes.Count > 20, $"The OpenAPI document lists only {routes.Count} routes.");
        Assert.True(missing.Count == 0, $"Routes without a row in PermissionMatrix.Rows (add one):\n  {string.Join("\n  ", missing)}");
        Assert.True(stale.Count == 0, $"Rows for routes the server does not have:\n  {string.Join("\n  ", stale)}");
    }

    private static string Normalize(string path) => path.Length > 1 ? path.TrimEnd('/') : path;

    private Task<PermissionWorld> WorldAsync() => Worlds.ForAsync(Server);
}

[Collection(ServerCollection.Name)]
public sealed class SqlitePermissionMatrixTests(ServerFixture fixture) : PermissionMatrixTests
{
    protected override ServerProcess Server => fixture.Server;
}

[Collection(PostgresServerCollection.Name)]
public sealed class PostgresPermissionMatrixTests(PostgresServerFixture fixture) : PermissionMatrixTests
{
    protected override ServerProcess Server => fixture.Server;
}
