using Crm.Sdk;
using static Crm.Tests.Assignment.StrategyKit;

namespace Crm.Tests.Assignment;

public sealed class RegionOwnershipStrategyTests
{
    private static readonly IAssignmentStrategy Owner = Standard("region-owner");

    [Fact]
    public void Region_owner_gives_the_lead_to_the_rep_covering_the_region_of_its_address()
    {
        var reps = new[] { Rep("a") with { Regions = ["北京"] }, Rep("b", owned: 40) with { Regions = ["上海"] } };

        var decision = Owner.Choose(Request(reps, Lead(address: "上海市浦东新区世纪大道88号")));

        Assert.Equal("b", decision.RepId);
        Assert.Contains("covers 上海", decision.Reason);
    }

    [Fact]
    public void Region_owner_maps_a_region_to_the_reps_of_an_org_unit()
    {
        var reps = new[] { Rep("a") with { OrgUnitId = "north" }, Rep("b", owned: 3) with { OrgUnitId = "east" }, Rep("c", owned: 1) with { OrgUnitId = "east" } };

        var decision = Owner.Choose(Request(reps, Lead(region: "Suzhou"), Options(("units", "suzhou=east, beijing=north"))));

        Assert.Equal("c", decision.RepId);
    }

    [Fact]
    public void Region_owner_leaves_a_lead_from_an_unowned_region_in_the_pool_unless_told_otherwise()
    {
        var reps = new[] { Rep("a") with { Regions = ["Beijing"] } };
        var lead = Lead(region: "Chengdu");

        var strict = Owner.Choose(Request(reps, lead));
        var lenient = Owner.Choose(Request(reps, lead, Options(("otherwise", "any"))));

        Assert.Null(strict.RepId);
        Assert.Equal("region-owner: nobody owns region Chengdu", strict.Reason);
        Assert.Equal("a", lenient.RepId);
    }

    [Fact]
    public void Region_owner_refuses_a_malformed_unit_map()
    {
        var errors = ((IAssignmentOptionsValidator)Owner).ValidateOptions(Options(("units", "shanghai"), ("otherwise", "maybe")));

        Assert.Equal(["otherwise", "units"], errors.Keys.Order());
    }
}
