namespace Crm.Grains.Deals;

/// <summary>A stage of a pipeline: its key (what deals and events name), its names and its default win probability (0–100).</summary>
[GenerateSerializer, Immutable]
public sealed record PipelineStage([property: Id(0)] string Key, [property: Id(1)] LocalizedText Names, [property: Id(2)] int Probability);
