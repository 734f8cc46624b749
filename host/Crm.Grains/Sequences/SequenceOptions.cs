using System.ComponentModel.DataAnnotations;

namespace Crm.Grains.Sequences;

/// <summary>Sequences' settings (section <c>Crm:Sequences</c>).</summary>
public sealed class SequenceOptions
{
    public const string Section = "Crm:Sequences";

    /// <summary>At most this many sequence steps per rep per working day, across all sequences (a sequence may set fewer).</summary>
    [Range(1, 10_000)]
    public int StepsPerRepPerDay { get; set; } = 30;

    /// <summary>Follow-up outcomes that count as a positive reply and stop every sequence (beside each step's own stopOn).</summary>
    public List<string> PositiveOutcomes { get; set; } = ["replied", "interested"];
}
