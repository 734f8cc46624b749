using System.Globalization;
using Crm.Sdk;

namespace Crm.Plugins.Standard.Assignment;

/// <summary>
/// <c>profile-match</c>: scores each rep's profile against the lead — industry, region, language, seniority, each
/// with a weight — and gives the lead to the best score. Ties go to the rep with the smallest book relative to
/// capacity (or to the lowest rep id), so the choice is deterministic.
/// </summary>
public sealed class ProfileMatchStrategy : IAssignmentStrategy, IAssignmentOptionsValidator, IReadsOptions
{
    /// <summary>The lead field (custom field) that asks for a minimum rep seniority, e.g. for key accounts.</summary>
    public const string SeniorityField = "seniority";

    public string Name => "profile-match";

    private sealed record Settings(int Industry, int Region, int Language, int Seniority, int MinScore, bool TieByLoad);

    public IReadOnlyDictionary<string, string> ValidateOptions(IReadOnlyDictionary<string, string> options) =>
        OptionReader.Validate(options, Read);

    void IReadsOptions.ReadOptions(OptionReader reader) => Read(reader);

    public AssignmentDecision Choose(AssignmentRequest request)
    {
        var settings = OptionReader.ReadValid(request.Pool.Options, Name, Read);

        var lead = request.Lead;
        var region = LeadRegion.Resolve(lead, request.Candidates);
        var neededSeniority = lead.Fields.TryGetValue(SeniorityField, out var text)
            && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var level) ? level : (int?)null;

        RepCandidate? best = null;
        int bestScore = -1, tied = 0;
        foreach (var rep in request.Candidates)
        {
            if (!CandidateRules.CanTake(rep))
            {
                continue;
            }

            var score = Score(rep, lead, region, neededSeniority, settings);
            if (best is null || score > bestScore)
            {
                (best, bestScore, tied) = (rep, score, 1);
            }
            else if (score == bestScore)
            {
                tied++;
                if (Better(rep, best, settings.TieByLoad))
                {
                    best = rep;
                }
            }
        }

        if (best is null)
        {
            return CandidateRules.NobodyAvailable(Name);
        }

        if (bestScore < settings.MinScore)
        {
            return AssignmentDecision.Nobody($"profile-match: the best score is {bestScore}, below the minimum {settings.MinScore}");
        }

        var matched = Matches(best, lead, region, neededSeniority);
        var why = matched.Count == 0 ? "nothing matched" : string.Join(", ", matched);
        var tie = tied > 1 ? $"; {tied} reps tied, {(settings.TieByLoad ? "smallest book" : "lowest id")} wins" : "";
        return AssignmentDecision.Assign(best.RepId, $"profile-match: score {bestScore} ({why}){tie}");
    }

    private static Settings Read(OptionReader reader) => new(
        reader.Int("industryWeight", 3, 0, 100),
        reader.Int("regionWeight", 2, 0, 100),
        reader.Int("languageWeight", 2, 0, 100),
        reader.Int("seniorityWeight", 1, 0, 100),
        reader.Int("minScore", 0, 0, 400),
        reader.OneOf("tieBreak", "least-loaded", "least-loaded", "rep-id") == "least-loaded");

    private static int Score(RepCandidate rep, CustomerSnapshot lead, string? region, int? seniority, Settings s)
    {
        var score = 0;
        if (CandidateRules.Has(rep.Industries, lead.Industry))
        {
            score += s.Industry;
        }

        if (CandidateRules.Has(rep.Regions, region))
        {
            score += s.Region;
        }

        if (CandidateRules.Has(rep.Languages, lead.Language))
        {
            score += s.Language;
        }

        if (seniority is { } needed && rep.Seniority >= needed)
        {
            score += s.Seniority;
        }

        return score;
    }

    private static List<string> Matches(RepCandidate rep, CustomerSnapshot lead, string? region, int? seniority)
    {
        var matched = new List<string>(4);
        if (CandidateRules.Has(rep.Industries, lead.Industry))
        {
            matched.Add("industry " + lead.Industry);
        }

        if (CandidateRules.Has(rep.Regions, region))
        {
            matched.Add("region " + region);
        }

        if (CandidateRules.Has(rep.Languages, lead.Language))
        {
            matched.Add("language " + lead.Language);
        }

        if (seniority is { } needed && rep.Seniority >= needed)
        {
            matched.Add("seniority " + rep.Seniority);
        }

        return matched;
    }

    private static bool Better(RepCandidate rep, RepCandidate best, bool byLoad)
    {
        if (byLoad)
        {
            var share = CandidateRules.LoadShare(rep).CompareTo(CandidateRules.LoadShare(best));
            if (share != 0)
            {
                return share < 0;
            }
        }

        return CandidateRules.CompareIds(rep, best) < 0;
    }
}
