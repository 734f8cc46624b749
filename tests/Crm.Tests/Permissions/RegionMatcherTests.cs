using Crm.Grains.Org;

namespace Crm.Tests.Permissions;

/// <summary>Which region an address falls in: plain rules, no server.</summary>
public sealed class RegionMatcherTests
{
    private static readonly RegionDefinition Jiangsu = new("r1", "Jiangsu", "u-js", "p-js", "Jiangsu", null, null, null);
    private static readonly RegionDefinition Suzhou = new("r2", "Suzhou", "u-sz", "p-sz", "Jiangsu", "Suzhou", null, null);
    private static readonly RegionDefinition Gusu = new("r3", "Gusu", "u-gs", "p-gs", null, "Suzhou", "Gusu", null);
    private static readonly RegionDefinition Post2150 = new("r4", "215 0xx", "u-p1", "p-p1", null, null, null, "2150");
    private static readonly RegionDefinition Post21 = new("r5", "21x xxx", "u-p2", "p-p2", null, null, null, "21");

    private static readonly RegionDefinition[] All = [Jiangsu, Suzhou, Gusu, Post2150, Post21];

    [Theory]
    [InlineData("Jiangsu Province, Suzhou, Gusu District, 8 Renmin Rd", "r3")]
    [InlineData("jiangsu suzhou wuzhong", "r2")]
    [InlineData("Jiangsu, Nanjing, Xuanwu", "r1")]
    [InlineData("Room 5, 215000 Some Town", "r4")]
    [InlineData("Room 5, 210000 Some Town", "r5")]
    public void The_most_specific_matching_region_wins(string address, string expected) =>
        Assert.Equal(expected, RegionMatcher.Match(address, All)?.Id);

    [Theory]
    [InlineData("Zhejiang, Hangzhou, Xihu")]
    [InlineData("Suzhou only, no province")]
    [InlineData("")]
    [InlineData(null)]
    public void An_address_outside_every_region_matches_none(string? address) =>
        Assert.Null(RegionMatcher.Match(address, [Jiangsu, Suzhou, Post2150]));
}
