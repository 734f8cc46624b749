namespace Crm.Plugins.Standard.Assignment;

/// <summary>A standard strategy whose options can be read by another one (the composite passes its options on).</summary>
internal interface IReadsOptions
{
    /// <summary>Reads (and so declares) every option this strategy understands.</summary>
    void ReadOptions(OptionReader reader);
}
