using Crm.Plugins.Standard.Dedup;
using Crm.Sdk;
using Xunit.Abstractions;

namespace Crm.Tests.Dedup.Evaluation;

/// <summary>
/// Precision and recall of the standard strategies on the real-name evaluation set (<see cref="RealWorldSet"/>): the
/// tuning part, which the normalizer was adjusted against, and the held-out part, with trade names and cities the
/// tuning part never shows, which was only measured. Both must reach the bar.
/// </summary>
public sealed class RealWorldSetTests(ITestOutputHelper output)
{
    private const int Companies = 1000;

    private readonly IDedupStrategy[] _strategies = [new IdentityKeysStrategy(), new CompanyNameStrategy()];

    [Theory]
    [InlineData(EvaluationPart.Tuning)]
    [InlineData(EvaluationPart.HeldOut)]
    public void Standard_strategies_reach_the_bar_on_real_names(EvaluationPart part)
    {
        var set = RealWorldSet.Build(part, Companies);
        var result = new DedupEvaluator(_strategies, set.Existing).Run(set.Leads);
        output.WriteLine($"{part}: {result}");
        result.Misses.ForEach(output.WriteLine);
        var report = $"{part}: {result}\n{string.Join('\n', result.Misses)}";
        Assert.True(result.Recall >= 0.98, report);
        Assert.True(result.Precision >= 0.98, report);
        Assert.True(result.NegativesMatchedRate <= 0.01, report);
    }
}
