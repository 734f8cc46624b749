using Crm.Grains.Visits;

namespace Crm.Tests.FieldWork;

/// <summary>The route heuristic against the exact optimum (Held-Karp dynamic programming, since 20! orders cannot be tried).</summary>
public sealed class RoutePlannerTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Twenty_stops_in_a_city_are_routed_within_ten_percent_of_the_optimum(int seed)
    {
        var random = new Random(seed);
        var start = new GeoPoint(31.2304, 121.4737);
        var stops = Enumerable.Range(0, 20)
            .Select(_ => new GeoPoint(31.10 + random.NextDouble() * 0.3, 121.30 + random.NextDouble() * 0.35))
            .ToList();

        var plan = RoutePlanner.Order(start, stops);
        var optimum = HeldKarp(RoutePlanner.Matrix([start, .. stops]));

        Assert.Equal(Enumerable.Range(0, 20), plan.Order.Order());
        Assert.True(plan.TotalMeters >= optimum - 1, "the heuristic cannot beat the optimum (float rounding aside)");
        Assert.True(plan.TotalMeters <= optimum * 1.10, $"route {plan.TotalMeters:0} m, optimum {optimum:0} m");
        Assert.Equal(plan.TotalMeters, plan.LegMeters.Sum(), 6);
    }

    [Fact]
    public void Stops_on_a_line_are_visited_in_order_from_the_start()
    {
        var start = new GeoPoint(30.0, 120.0);
        GeoPoint[] stops = [new(30.0, 120.3), new(30.0, 120.1), new(30.0, 120.4), new(30.0, 120.2)];

        var plan = RoutePlanner.Order(start, stops);

        Assert.Equal([1, 3, 0, 2], plan.Order);
        Assert.Equal(GeoMath.DistanceMeters(start, stops[2]), plan.TotalMeters, 0);
    }

    [Fact]
    public void Without_a_start_the_route_begins_at_an_end_of_the_line()
    {
        GeoPoint[] stops = [new(30.0, 120.2), new(30.0, 120.0), new(30.0, 120.4), new(30.0, 120.1)];

        var plan = RoutePlanner.Order(null, stops);

        Assert.Contains(plan.Order[0], new[] { 1, 2 });
        Assert.Equal(0, plan.LegMeters[0]);
        Assert.Equal(GeoMath.DistanceMeters(stops[1], stops[2]), plan.TotalMeters, 0);
    }

    [Fact]
    public void No_stops_make_an_empty_route() => Assert.Empty(RoutePlanner.Order(new GeoPoint(30, 120), []).Order);

    /// <summary>The shortest open path from node 0 through every other node: O(2^n n^2) over subsets of the stops.</summary>
    private static double HeldKarp(double[,] d)
    {
        var n = d.GetLength(0) - 1; // stops; node 0 is the start
        var full = 1 << n;
        var best = new float[full * n];
        Array.Fill(best, float.PositiveInfinity);
        for (var k = 0; k < n; k++)
        {
            best[(1 << k) * n + k] = (float)d[0, k + 1];
        }

        for (var mask = 1; mask < full; mask++)
        {
            for (var last = 0; last < n; last++)
            {
                var here = best[mask * n + last];
                if ((mask & (1 << last)) == 0 || float.IsPositiveInfinity(here))
                {
                    continue;
                }

                for (var next = 0; next < n; next++)
                {
                    if ((mask & (1 << next)) != 0)
                    {
                        continue;
                    }

                    var to = (mask | (1 << next)) * n + next;
                    var length = here + (float)d[last + 1, next + 1];
                    if (length < best[to])
                    {
                        best[to] = length;
                    }
                }
            }
        }

        var optimum = double.PositiveInfinity;
        for (var last = 0; last < n; last++)
        {
            optimum = Math.Min(optimum, best[(full - 1) * n + last]);
        }

        return optimum;
    }
}
