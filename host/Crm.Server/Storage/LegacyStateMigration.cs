using Crm.Grains.Notes;
using Crm.Grains.Pools;
using Crm.Grains.Storage;
using Dapper;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;

namespace Crm.Server.Storage;

/// <summary>
/// Rewrites grain state rows written while a stored state held the API's wire types into the grain's own types:
/// pools (rules and collusion cases) and note templates (their versions). Runs while the silo starts, before any grain
/// can activate. A row already rewritten has no legacy field and is left alone, and each rewrite is guarded by the
/// row's version, so two silos starting together or a crash half-way are harmless.
/// </summary>
public sealed class LegacyStateMigration(
    CrmDatabase database,
    IOptions<ClusterOptions> cluster,
    ILogger<LegacyStateMigration> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly Serializer serializer = LegacySerializer();

    /// <summary>
    /// The legacy blobs hold wire records written through the JSON fallback codec the silos had then. The silo's own
    /// serializer has no codec for Crm.Client types any more; this one, private to the migration, still reads them,
    /// and writes the upgraded state in the grains' own types (which need no JSON).
    /// </summary>
    public static Serializer LegacySerializer() => new ServiceCollection()
        .AddSerializer(s => s.AddAssembly(typeof(LegacyPoolState).Assembly).AddJsonSerializer(isSupported: type => type.Namespace is "Crm.Client"))
        .BuildServiceProvider()
        .GetRequiredService<Serializer>();

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(LegacyStateMigration), ServiceLifecycleStage.ApplicationServices, _ => RunAsync());

    /// <summary>Rewrites every legacy row; answers how many were rewritten.</summary>
    public async Task<int> RunAsync()
    {
        var pools = await RewriteAsync("pool", payload =>
            serializer.Deserialize<LegacyPoolState>(payload) is { IsLegacy: true } legacy ? serializer.SerializeToArray(legacy.Upgrade()) : null);
        var templates = await RewriteAsync("note-template", payload =>
            serializer.Deserialize<LegacyTemplateState>(payload) is { IsLegacy: true } legacy ? serializer.SerializeToArray(legacy.Upgrade()) : null);
        if (pools + templates > 0)
        {
            logger.LogInformation("Stored state migration: {Pools} pools and {Templates} note templates moved from wire types to their own types",
                pools, templates);
        }

        return pools + templates;
    }

    /// <param name="rewrite">The new payload of a legacy row, or null when the row is already current.</param>
    private async Task<int> RewriteAsync(string stateName, Func<byte[], byte[]?> rewrite)
    {
        await using var connection = await database.OpenAsync();
        // Pools and templates are few (tens to hundreds): one read holds them all.
        var rows = await connection.QueryAsync<(int Hash, string Key, int Version, byte[] Payload)>(
            "SELECT GrainIdHash, GrainIdExtensionString, Version, PayloadBinary FROM OrleansStorage WHERE GrainTypeString = @type AND ServiceId = @service AND PayloadBinary IS NOT NULL",
            new { type = stateName, service = cluster.Value.ServiceId });
        var moved = 0;
        foreach (var (hash, key, version, payload) in rows)
        {
            if (rewrite(payload) is not { } upgraded)
            {
                continue;
            }

            moved += await connection.ExecuteAsync("""
                UPDATE OrleansStorage SET PayloadBinary = @upgraded, Version = Version + 1
                WHERE GrainTypeString = @type AND ServiceId = @service AND GrainIdHash = @hash AND GrainIdExtensionString = @key AND Version = @version
                """, new { upgraded, type = stateName, service = cluster.Value.ServiceId, hash, key, version });
        }

        return moved;
    }
}
