using System.Net;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Dedup;

/// <summary>
/// The real server dies (the test hook kills it like kill -9) right after committing a customer's edited phone and
/// before the edit's request keyed the new card. Started again, the index is rebuilt from what was recorded: the old
/// phone's keys. The edit's commit left the customer waiting in <c>dedup_rekey</c>, so the retrier keys it after the
/// grace: a lead with the new phone is caught again, the old phone is free, and nothing waits any more.
/// </summary>
public sealed class EditRekeyCrashTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);

    private static readonly PoolRules BlockSamePhone = new() { Dedup = new DedupRule(["identity-keys"], "block") };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_phone_edited_just_before_the_server_died_is_keyed_after_the_restart(bool postgres)
    {
        using var data = new TempDirectory("crm-rekey-crash");
        await using var database = postgres ? await PostgresDatabase.CreateAsync() : null;
        var settings = database?.ServerSettings() ?? [];
        settings["Crm__Cluster__SiloPort"] = FreePort.Next().ToString();
        settings["Crm__Cluster__GatewayPort"] = FreePort.Next().ToString();
        await using var crashing = await ServerProcess.StartAsync(data.Path, new Dictionary<string, string>(settings)
        {
            ["Crm__Outbox__TestCrashAfterCommitOf"] = "details-edited",
        });
        var world = await TestWorld.CreateAsync(crashing, BlockSamePhone);
        var customer = await world.NewLeadAsync("Gao Yan", "Dalian Rekey Harbour Co., Ltd.", "+86 139 6666 0001");

        await Assert.ThrowsAnyAsync<Exception>(() => world.Admin.SendAsync<CustomerDto>(HttpMethod.Patch, $"/api/customers/{customer.Id}", new { phone = "+86 139 6666 0002" }));
        Assert.True(await crashing.ExitsWithinAsync(Generous), "the server did not die after committing the edit");

        await using var restarted = await ServerProcess.StartAsync(data.Path, new Dictionary<string, string>(settings)
        {
            ["Crm__Dedup__EditRekeyGrace"] = "00:00:01",
            ["Crm__Dedup__PendingRetryEvery"] = "00:00:01",
        });
        var admin = new CrmApi(restarted.BaseAddress, world.Admin.Token) { UserId = world.Admin.UserId };
        Assert.Equal("+86 139 6666 0002", (await admin.GetCustomerAsync(customer.Id)).EnsureStatus(HttpStatusCode.OK).Value!.Phone); // the edit was committed

        var keyed = await WaitForAsync(admin, customer.Id, e => e.Kind == "dedup-indexed" && e.Data["trigger"] == "edited");
        var newPhone = await CheckAsync(admin, world.PoolId, "+86 139 6666 0002");
        var oldPhone = await CheckAsync(admin, world.PoolId, "+86 139 6666 0001");
        var status = (await admin.SendAsync<DedupStatusDto>(HttpMethod.Get, "/api/admin/dedup/status")).EnsureStatus(HttpStatusCode.OK).Value!;

        Assert.NotNull(keyed);
        Assert.True(newPhone.Duplicate, "a lead with the edited phone is caught");
        Assert.Equal(customer.Id, Assert.Single(newPhone.Matches).CustomerId);
        Assert.False(oldPhone.Duplicate, "the phone the customer no longer has is free");
        Assert.Equal(0, status.EditsAwaitingKeys);
    }

    private static async Task<DedupCheckResponse> CheckAsync(CrmApi api, string poolId, string phone) =>
        (await api.SendAsync<DedupCheckResponse>(HttpMethod.Post, "/api/customers/check",
            new CreateCustomerRequest("Someone New", "Unrelated Buyer Co., Ltd.", phone, PoolId: poolId))).EnsureStatus(HttpStatusCode.OK).Value!;

    /// <summary>Polls the timeline until an entry matches (the retrier's round comes within seconds of the grace).</summary>
    private static async Task<TimelineEntryDto?> WaitForAsync(CrmApi api, Guid id, Func<TimelineEntryDto, bool> match)
    {
        var deadline = DateTime.UtcNow + Generous;
        while (DateTime.UtcNow < deadline)
        {
            if ((await api.TimelineAsync(id)).Value?.FirstOrDefault(match) is { } entry)
            {
                return entry;
            }

            await Task.Delay(250);
        }

        return null;
    }
}
