using Crm.Client;

namespace Crm.Server.Api.Notes;

/// <summary>How often each option of a template's countable questions (choices, yes/no) was picked.</summary>
public static class NoteAnswerTally
{
    /// <summary>
    /// One entry per countable question, every current option listed (zero when never picked); options of older
    /// versions that still appear in <paramref name="counts"/> count too.
    /// </summary>
    public static List<NoteFieldStatsDto> Of(IReadOnlyList<NoteFieldDto> fields, IReadOnlyDictionary<string, Dictionary<string, long>> counts) =>
        fields
            .Where(field => field.Type is NoteFieldType.SingleChoice or NoteFieldType.MultiChoice or NoteFieldType.YesNo)
            .Select(field => new NoteFieldStatsDto(field.Key!, field.Label!, field.Type!.Value, Tally(field, counts.GetValueOrDefault(field.Key!))))
            .ToList();

    private static Dictionary<string, long> Tally(NoteFieldDto field, Dictionary<string, long>? picked)
    {
        var options = field.Type == NoteFieldType.YesNo ? ["yes", "no"] : field.Options ?? [];
        var tally = options.ToDictionary(o => o, _ => 0L);
        foreach (var (value, count) in picked ?? [])
        {
            tally[value] = count; // options of older versions still count
        }

        return tally;
    }
}
