using Crm.Grains.Dedup;
using Crm.Sdk;

namespace Crm.Tests.Dedup.Evaluation;

/// <summary>
/// Runs labelled leads through strategies as the index does: candidates are the existing customers sharing a
/// blocking key with the lead, within the index's <see cref="CandidateLimits"/> (default options); a candidate is found when any strategy's comparison answers a match (of any strength,
/// so flags count). Counts true and false positives and misses, per kind of case.
/// </summary>
public sealed class DedupEvaluator(IReadOnlyList<IDedupStrategy> strategies, IReadOnlyList<CustomerSnapshot> existing)
{
    private readonly Dictionary<BlockingKey, List<CustomerSnapshot>> _index = BuildIndex(strategies, existing);

    public Result Run(IEnumerable<LabelledLead> leads)
    {
        var result = new Result();
        foreach (var (lead, duplicateOf, kind) in leads)
        {
            var found = Found(lead);
            var truth = duplicateOf is null ? [] : new HashSet<string> { duplicateOf };
            var tp = found.Intersect(truth).Count();
            var fp = found.Except(truth).Count();
            var fn = truth.Except(found).Count();
            result.Add(kind, duplicateOf is not null, tp, fp, fn);
            if ((fp > 0 || fn > 0) && result.Misses.Count < 40)
            {
                var other = found.Except(truth).FirstOrDefault() ?? duplicateOf!;
                var company = existing.First(e => e.Id == other);
                result.Misses.Add($"{(fp > 0 ? "false match" : "missed")} [{kind}] {lead.Company} | {lead.Phone} | {lead.TaxId} | {lead.Address}  ~  {company.Company} | {company.Address}");
            }
        }

        return result;
    }

    private static readonly DedupOptions Limits = new();

    public HashSet<string> Found(CustomerSnapshot lead)
    {
        var held = strategies.SelectMany(s => s.Keys(lead)).Distinct()
            .Select(k => (k.Kind + ":" + k.Value, (IReadOnlyList<CustomerSnapshot>)(_index.GetValueOrDefault(k) ?? [])));
        return CandidateLimits.Select(held, c => c.Id, Limits.CommonKeyLimit, Limits.MaxCandidates).Select(h => h.Holder)
            .Where(c => strategies.Any(s => s.Compare(lead, c) is not null)).Select(c => c.Id).ToHashSet();
    }

    private static Dictionary<BlockingKey, List<CustomerSnapshot>> BuildIndex(IReadOnlyList<IDedupStrategy> strategies, IReadOnlyList<CustomerSnapshot> existing)
    {
        var index = new Dictionary<BlockingKey, List<CustomerSnapshot>>();
        foreach (var customer in existing)
        {
            foreach (var key in strategies.SelectMany(s => s.Keys(customer)).Distinct())
            {
                (index.TryGetValue(key, out var list) ? list : index[key] = []).Add(customer);
            }
        }

        return index;
    }

    public sealed class Result
    {
        private readonly SortedDictionary<string, (int Cases, int Found)> _byKind = new(StringComparer.Ordinal);

        public int TruePositives { get; private set; }

        public int FalsePositives { get; private set; }

        public int FalseNegatives { get; private set; }

        public int Negatives { get; private set; }

        public int NegativesMatched { get; private set; }

        public List<string> Misses { get; } = [];

        public double Precision => TruePositives / (double)Math.Max(1, TruePositives + FalsePositives);

        public double Recall => TruePositives / (double)Math.Max(1, TruePositives + FalseNegatives);

        public double NegativesMatchedRate => NegativesMatched / (double)Math.Max(1, Negatives);

        public void Add(string kind, bool positive, int tp, int fp, int fn)
        {
            TruePositives += tp;
            FalsePositives += fp;
            FalseNegatives += fn;
            if (!positive)
            {
                Negatives++;
                NegativesMatched += fp > 0 ? 1 : 0;
            }

            var (cases, found) = _byKind.GetValueOrDefault(kind);
            _byKind[kind] = (cases + 1, found + (positive ? tp : fp > 0 ? 1 : 0));
        }

        public override string ToString() =>
            $"precision {Precision:0.0000}, recall {Recall:0.0000}, hard negatives matched {NegativesMatchedRate:0.0000} "
            + $"(tp {TruePositives}, fp {FalsePositives}, fn {FalseNegatives}, negatives {Negatives})\n"
            + string.Join('\n', _byKind.Select(k => $"  {k.Key,-32} {k.Value.Found,5} / {k.Value.Cases,-5} {(k.Key.Contains("negative") || k.Key.Contains("other-city") ? "matched" : "found")}"));
    }
}
