using Crm.Plugins.Standard.Dedup;
using Crm.Sdk;
using Xunit.Abstractions;

namespace Crm.Tests.Dedup;

/// <summary>
/// Precision and recall of the standard strategies on a labelled set: 3,000 companies as first entered, then 3,000
/// disguised re-entries of them (true duplicates) and 3,000 others (1,500 look-alikes: same brand in another trade,
/// or the same name in another city at another address; 1,500 unrelated), found through blocking keys as the
/// index finds them.
/// </summary>
public sealed class LabelledSetTests(ITestOutputHelper output)
{
    private readonly IDedupStrategy[] _strategies = [new IdentityKeysStrategy(), new CompanyNameStrategy()];

    [Fact]
    public void Standard_strategies_find_disguised_duplicates_with_high_precision_and_recall()
    {
        var generator = new CompanyGenerator(seed: 20261125);
        var companies = Enumerable.Range(0, 3000).Select(_ => generator.Next()).ToList();
        var existing = companies.Select((c, i) => generator.Original(c, $"E{i}")).ToList();
        var index = new Dictionary<BlockingKey, List<CustomerSnapshot>>();
        foreach (var customer in existing)
        {
            foreach (var key in _strategies.SelectMany(s => s.Keys(customer)).Distinct())
            {
                (index.TryGetValue(key, out var list) ? list : index[key] = []).Add(customer);
            }
        }

        var incoming = new List<(CustomerSnapshot Lead, string? DuplicateOf)>();
        for (var i = 0; i < 3000; i++)
        {
            incoming.Add((generator.Disguise(companies[i], $"D{i}"), $"E{i}"));
            incoming.Add(i % 2 == 0
                ? (generator.LookAlike(companies[i], $"L{i}"), null)
                : (generator.Original(generator.Next(), $"N{i}"), null));
        }

        int truePositives = 0, falsePositives = 0, falseNegatives = 0;
        var misses = new List<string>();
        foreach (var (lead, duplicateOf) in incoming)
        {
            var candidates = _strategies.SelectMany(s => s.Keys(lead)).Distinct()
                .SelectMany(k => index.GetValueOrDefault(k) ?? []).DistinctBy(c => c.Id);
            var found = candidates.Where(c => _strategies.Any(s => s.Compare(lead, c) is not null)).Select(c => c.Id).ToHashSet();
            var truth = duplicateOf is null ? [] : new HashSet<string> { duplicateOf };
            truePositives += found.Intersect(truth).Count();
            falsePositives += found.Except(truth).Count();
            falseNegatives += truth.Except(found).Count();
            if (!found.SetEquals(truth) && misses.Count < 15)
            {
                var wrong = found.Except(truth).Select(id => existing.First(e => e.Id == id)).FirstOrDefault();
                var other = wrong ?? existing.First(e => e.Id == duplicateOf);
                var why = wrong is null ? "" : string.Join(", ", _strategies.Select(s => s.Compare(lead, wrong)?.Reason).OfType<string>());
                misses.Add($"{(wrong is null ? "missed" : "false match")} ({why}): {lead.Company} | {lead.Address} | {lead.Phone} | {lead.Email} ~ {other.Company} | {other.Address}");
            }
        }

        var precision = truePositives / (double)(truePositives + falsePositives);
        var recall = truePositives / (double)(truePositives + falseNegatives);
        output.WriteLine($"precision {precision:0.0000}, recall {recall:0.0000} (tp {truePositives}, fp {falsePositives}, fn {falseNegatives})");
        misses.ForEach(output.WriteLine);
        Assert.True(precision >= 0.98, $"precision {precision:0.0000}\n{string.Join('\n', misses)}");
        Assert.True(recall >= 0.95, $"recall {recall:0.0000}\n{string.Join('\n', misses)}");
    }
}
