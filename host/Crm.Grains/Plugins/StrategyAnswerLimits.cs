namespace Crm.Grains.Plugins;

/// <summary>
/// How much a strategy may hand back in one answer (docs/plugins.md). The host stores these answers (keys in the
/// dedup index, reasons on timelines, state per pool), so an answer over a limit is a fault of the strategy and is
/// never stored: the fallback answers instead, as for a throw.
/// </summary>
public static class StrategyAnswerLimits
{
    /// <summary>Distinct blocking keys of one customer (the standard strategies give at most about 30).</summary>
    public const int MaxKeysPerCustomer = 100;

    /// <summary>Characters of a blocking key's kind.</summary>
    public const int MaxKeyKindLength = 64;

    /// <summary>Characters of a blocking key's value (a custom text field holds up to 2000).</summary>
    public const int MaxKeyValueLength = 2000;

    /// <summary>Characters of a decision's or a match's reason.</summary>
    public const int MaxReasonLength = 2000;

    /// <summary>Characters of the state an assignment strategy keeps per pool.</summary>
    public const int MaxStrategyStateLength = 16_384;
}
