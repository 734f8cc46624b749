using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Notes;
using Crm.Grains.Pools;
using Crm.Tests.Pools;
using Crm.Tests.Infrastructure;
using Crm.Server.Storage;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Tests.Storage;

/// <summary>
/// Pools and note templates saved while their stored state held the API's wire types come back after an upgrade with
/// everything they held, now in their own types (the start-up <see cref="LegacyStateMigration"/>).
/// </summary>
public sealed class LegacyStateMigrationTests
{
    [Fact]
    public async Task A_pool_stored_with_wire_types_keeps_its_rules_members_and_cases_after_the_upgrade()
    {
        using var data = new TempDirectory("crm-pool-migration");
        var file = Path.Combine(data.Path, "crm.db");
        var now = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        var customerId = Guid.NewGuid();
        var oldRules = new PoolRules
        {
            RecycleAfterDaysWithoutFollowUp = 15,
            WarnDaysBefore = [3, 1],
            CapacityPerRep = 40,
            CapacityOverrides = new Dictionary<string, int> { ["rep-senior"] = 80 },
            CoolDownHours = 12,
            PingPongDays = null,
            Assignment = new AssignmentRule("round-robin", new Dictionary<string, string> { ["weights"] = "even" }, "batch", "least-loaded", 30),
            Dedup = new DedupRule(["identity-keys", "company-name"], "flag") { Actions = new Dictionary<string, string> { ["exact"] = "block" } },
        };
        var oldCase = new CollusionCaseDto("quick-handover", customerId, "rep-a", "rep-b", now,
            [new CollusionEvidence("released", "rep-a", now.AddHours(-1)), new CollusionEvidence("claimed", "rep-b", now)]);

        await using (var before = await DurableCluster.StartAsync(file, now))
        {
            Assert.True((await before.Grains.GetGrain<IPoolGrain>("old-pool").Create("Old pool", "unit-1", new PoolRuleSet())).Ok);
            // What the previous release wrote for this pool: the same row, in the old layout.
            var legacy = new LegacyPoolState
            {
                Exists = true, Name = "Old pool", OrgUnitId = "unit-1", Rules = oldRules, CreatedAt = now, Version = 7,
                Members = ["rep-a", "rep-b"], CollusionCases = [oldCase],
            };
            await using var connection = await before.Database.OpenAsync();
            Assert.Equal(1, await connection.ExecuteAsync(
                "UPDATE OrleansStorage SET PayloadBinary = @payload WHERE GrainTypeString = 'pool' AND GrainIdExtensionString = 'old-pool'",
                new { payload = LegacyStateMigration.LegacySerializer().SerializeToArray(legacy) }));
        }

        await using var after = await DurableCluster.StartAsync(file, now);
        var pool = after.Grains.GetGrain<IPoolGrain>("old-pool");
        var info = await pool.Get();
        Assert.NotNull(info);
        Assert.Equal("Old pool", info.Name);
        Assert.Equal(oldRules, info.Rules.ToWire(), new RulesComparer());
        Assert.Equal(["rep-a", "rep-b"], (await pool.GetAccess())!.Members);
        Assert.Equal(7, (await pool.GetRules())!.Version);
        var found = Assert.Single(await pool.GetCollusionCases());
        Assert.Equal(("quick-handover", customerId, "rep-a", "rep-b"), (found.Kind, found.CustomerId, found.FromRepId, found.ToRepId));
        Assert.Equal(["released", "claimed"], found.Evidence.Select(e => e.Kind));

        // The rewritten row has no legacy field left: a second start changes nothing.
        var migration = after.SiloServices.GetServices<ILifecycleParticipant<ISiloLifecycle>>().OfType<LegacyStateMigration>().Single();
        Assert.Equal(0, await migration.RunAsync());
    }

    [Fact]
    public async Task A_template_stored_with_wire_types_keeps_every_version_after_the_upgrade()
    {
        using var data = new TempDirectory("crm-template-migration");
        var file = Path.Combine(data.Path, "crm.db");
        var now = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        NoteFieldDto[] fields =
        [
            new("interest", "意向", NoteFieldType.SingleChoice, ["高", "中", "低"], Required: true),
            new("budget", "预算(万元)", NoteFieldType.Number, [], Min: 0, Max: 10_000),
            new("next", "下次跟进", NoteFieldType.Date, [], NextFollowUp: true),
        ];
        NoteTemplateDto Version(int n) => new("visit-zh", n, $"拜访记录 v{n}", "zh", null, "unit-1", fields.Take(n + 1).ToList(),
            "意向{{ interest }}", "pack", now.AddDays(n), "manager-1");

        await using (var before = await DurableCluster.StartAsync(file, now))
        {
            var request = new NoteTemplateRequest("拜访记录", fields, "意向{{ interest }}");
            Assert.True((await before.Grains.GetGrain<ITemplateGrain>("visit-zh").Create(request.ToDraft(), null, Actor.System)).Ok);
            await using var connection = await before.Database.OpenAsync();
            Assert.Equal(1, await connection.ExecuteAsync(
                "UPDATE OrleansStorage SET PayloadBinary = @payload WHERE GrainTypeString = 'note-template' AND GrainIdExtensionString = 'visit-zh'",
                new { payload = LegacyStateMigration.LegacySerializer().SerializeToArray(new LegacyTemplateState { Versions = [Version(1), Version(2)] }) }));
        }

        await using var after = await DurableCluster.StartAsync(file, now);
        var template = after.Grains.GetGrain<ITemplateGrain>("visit-zh");
        foreach (var n in new[] { 1, 2 })
        {
            var read = (await template.Get(n))!.ToWire();
            var expected = Version(n);
            Assert.Equal((expected.Name, expected.Language, expected.OrgUnitId, expected.Body, expected.Source, expected.CreatedAt, expected.CreatedBy),
                (read.Name, read.Language, read.OrgUnitId, read.Body, read.Source, read.CreatedAt, read.CreatedBy));
            Assert.Equal(System.Text.Json.JsonSerializer.Serialize(expected.Fields), System.Text.Json.JsonSerializer.Serialize(read.Fields));
        }

        Assert.Equal(2, (await template.Get())!.Version);
    }

    /// <summary>Compares rules by their JSON (records compare lists and dictionaries by reference).</summary>
    private sealed class RulesComparer : IEqualityComparer<PoolRules>
    {
        public bool Equals(PoolRules? x, PoolRules? y) =>
            System.Text.Json.JsonSerializer.Serialize(x) == System.Text.Json.JsonSerializer.Serialize(y);

        public int GetHashCode(PoolRules obj) => 0;
    }
}
