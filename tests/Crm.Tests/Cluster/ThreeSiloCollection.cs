namespace Crm.Tests.Cluster;

/// <summary>
/// The tests that run three server processes on the local PostgreSQL run one after the other. Two of them at once are
/// six silos, whose connection pools together used up the server's 100 connections on the loaded 2-core machine:
/// PostgreSQL refused new ones ("remaining connection slots are reserved") and the silos answered
/// 503 database-unavailable while the tests were still setting up.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ThreeSiloCollection
{
    public const string Name = "three silos on one PostgreSQL";
}
