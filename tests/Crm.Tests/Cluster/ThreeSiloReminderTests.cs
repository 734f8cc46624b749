using System.Net;
using Crm.Client;
using Crm.Grains.Reps;
using Crm.Server.Diagnostics;
using Crm.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace Crm.Tests.Cluster;

/// <summary>
/// Three server processes on one PostgreSQL database with one steered clock (<see cref="SteeredClock"/>: every process
/// reads the same offset file). Reps get customers from a pool that recycles after a day without a follow-up; one silo
/// is killed with SIGKILL; then the clock moves a day on. Each rep grain that lived on the dead silo is gone, and
/// nothing calls any rep grain again: only its reminder (registered with its first customer, stored in the database)
/// can wake it, so its customer goes back to the pool only if the survivors took over the reminders the dead silo was
/// serving and fire them. With <see cref="Reps"/> reps over three silos, about a third of the grains and a third of
/// the reminders were on the killed silo (the chance that no grain had both there is (8/9)^45, under 0.5 %).
/// </summary>
[Collection(ThreeSiloCollection.Name)]
public sealed class ThreeSiloReminderTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Reps = 45;

    private readonly List<TempDirectory> _data = [new("crm-silo-1"), new("crm-silo-2"), new("crm-silo-3")];
    private readonly TempDirectory _clockDirectory = new("crm-clock");
    private PostgresDatabase _database = null!;
    private ServerProcess[] _silos = [];

    private string ClockFile => Path.Combine(_clockDirectory.Path, "offset");

    public async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        _silos = await Task.WhenAll(_data.Select(d => ServerProcess.StartAsync(d.Path,
            new Dictionary<string, string>(_database.ServerSettings())
            {
                ["Crm__Testing__ClockFile"] = ClockFile,
                // A loaded machine makes the database slow to answer; the default 5 s would turn that into 503s.
                ["Crm__Storage__DatabaseTimeout"] = "00:00:30",
            })));
    }

    [Fact]
    public async Task The_killed_silo_s_recycle_reminders_fire_on_the_survivors_and_its_reps_customers_go_back_to_the_pool()
    {
        var admin = await _silos[0].Api().LoginAsAdminAsync();
        await ClusterMembership.WaitForSilosAsync(admin, 3, TimeSpan.FromSeconds(90));
        var world = await TestWorld.CreateAsync(_silos[0], new PoolRules { RecycleAfterDaysWithoutFollowUp = 1 });
        var tag = Guid.NewGuid().ToString("N")[..6];
        var reps = new List<string>();
        for (var i = 0; i < Reps; i++)
        {
            reps.Add((await admin.CreateUserAsync($"rem-{tag}-{i}", Role.Rep, world.OrgUnitId)).EnsureStatus(HttpStatusCode.Created).Value!.Id);
        }

        var owned = new Dictionary<Guid, string>();
        foreach (var rep in reps)
        {
            var lead = await world.NewLeadAsync($"Reminder lead {tag} {owned.Count}", null, null);
            // The cluster places the rep grains on all three silos. Each silo's org tree learns of new users within
            // a second or so; until then an assignment handled there answers 404.
            var known = DateTime.UtcNow.AddSeconds(30);
            ApiResponse<CustomerDto> assigned;
            while ((assigned = await world.Manager.AssignAsync(lead.Id, rep)).Status == HttpStatusCode.NotFound && DateTime.UtcNow < known)
            {
                await Task.Delay(500);
            }

            assigned.EnsureStatus(HttpStatusCode.OK);
            owned[lead.Id] = rep;
        }

        var withReminder = await RepsWithReminderAsync(owned.Values);
        output.WriteLine($"load average before the kill: {ThreeSiloFailoverTests.LoadAverage()}; {withReminder} of {Reps} reps have their recycle reminder stored");
        Assert.Equal(Reps, withReminder);

        await _silos[2].KillAsync();
        var killed = DateTime.UtcNow;
        await ClusterMembership.WaitForSilosAsync(admin, 2, TimeSpan.FromSeconds(120));

        // A day and an hour on, then an hour more every two seconds: a reminder a survivor read after a step still
        // finds its next hourly tick within the next step. Only the customers are read (by the admin), never a rep grain.
        var offset = TimeSpan.FromHours(25);
        var deadline = DateTime.UtcNow.AddMinutes(3);
        var waiting = owned.Keys.ToList();
        while (waiting.Count > 0)
        {
            Assert.True(DateTime.UtcNow < deadline,
                $"{waiting.Count} of {Reps} customers still owned at clock +{offset}: {string.Join(", ", waiting.Take(5).Select(c => owned[c]))}");
            await File.WriteAllTextAsync(ClockFile, offset.ToString());
            await Task.Delay(TimeSpan.FromSeconds(2));
            var still = new List<Guid>();
            foreach (var id in waiting)
            {
                var customer = (await admin.GetCustomerAsync(id)).EnsureStatus(HttpStatusCode.OK).Value!;
                if (customer.OwnerId is not null)
                {
                    still.Add(id);
                }
                else
                {
                    Assert.Equal(world.PoolId, customer.PoolId);
                }
            }

            waiting = still;
            offset += TimeSpan.FromHours(1);
        }

        output.WriteLine($"reminders fired on the survivors: all {Reps} customers recycled by clock +{offset - TimeSpan.FromHours(1)} with one silo of three " +
                         $"killed, {(DateTime.UtcNow - killed).TotalSeconds:N0} s after the kill; load average {ThreeSiloFailoverTests.LoadAverage()}");
    }

    private async Task<int> RepsWithReminderAsync(IEnumerable<string> reps)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        var count = 0;
        foreach (var rep in reps)
        {
            await using var command = new NpgsqlCommand(
                "SELECT COUNT(*) FROM OrleansRemindersTable WHERE ReminderName = @name AND GrainId LIKE @grain", connection);
            command.Parameters.AddWithValue("name", RepGrain.ReminderName);
            command.Parameters.AddWithValue("grain", $"%{rep}%");
            count += (long)(await command.ExecuteScalarAsync())! > 0 ? 1 : 0;
        }

        return count;
    }

    public async Task DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }

        await _database.DisposeAsync();
        _data.ForEach(d => d.Dispose());
        _clockDirectory.Dispose();
    }
}
