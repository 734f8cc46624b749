using System.Net;
using Orleans.Runtime;
using Crm.Grains.Customers;

namespace Crm.Tests.Customers;

public sealed class ReadAffinityTests
{
    private static readonly SiloAddress Here = SiloAddress.New(IPAddress.Loopback, 11111, 1);
    private static readonly SiloAddress There = SiloAddress.New(IPAddress.Loopback, 11112, 1);
    private static readonly SiloAddress Third = SiloAddress.New(IPAddress.Loopback, 11113, 1);

    [Fact]
    public void A_streak_of_reads_through_another_silo_moves_the_grain_there_once()
    {
        var reads = new ReadAffinity();
        for (var i = 1; i < ReadAffinity.Streak; i++)
        {
            Assert.Null(reads.Observe(There, Here));
        }

        Assert.Equal(There, reads.Observe(There, Here));
        Assert.Null(reads.Observe(There, Here)); // counted afresh after asking once
    }

    [Fact]
    public void A_local_read_or_one_through_a_third_silo_breaks_the_streak()
    {
        var reads = new ReadAffinity();
        for (var i = 1; i < ReadAffinity.Streak; i++)
        {
            reads.Observe(There, Here);
        }

        Assert.Null(reads.Observe(Here, Here));
        Assert.Null(reads.Observe(There, Here));
        for (var i = 2; i < ReadAffinity.Streak; i++)
        {
            reads.Observe(There, Here);
        }

        Assert.Null(reads.Observe(Third, Here));
        Assert.Null(reads.Observe(null, Here));
    }

    [Fact]
    public void Reads_alternating_between_silos_never_move_the_grain()
    {
        var reads = new ReadAffinity();
        for (var i = 0; i < 10 * ReadAffinity.Streak; i++)
        {
            Assert.Null(reads.Observe(i % 2 == 0 ? There : Here, Here));
        }
    }
}
