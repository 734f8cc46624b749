using Crm.Tests.Infrastructure;

namespace Crm.Tests.Dedup;

/// <summary>
/// A starting server loads every dedup index shard in the background, so the first creations after a restart do not each
/// wait for their shards to read the index (at a million customers that was seconds per creation).
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class DedupIndexWarmUpTests(ServerFixture fixture)
{
    [Fact]
    public async Task A_started_server_loads_every_shard_without_being_asked()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!Loaded() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.True(Loaded(), "no 'Dedup index: 64 shards loaded' line in the server's log:\n" + string.Join('\n', fixture.Server.Output.TakeLast(20)));
        Assert.DoesNotContain(fixture.Server.Output, l => l.Contains("loading the shards ahead of their first call failed", StringComparison.Ordinal));

        bool Loaded() => fixture.Server.Output.Any(l => l.Contains("Dedup index: 64 shards loaded", StringComparison.Ordinal));
    }
}
